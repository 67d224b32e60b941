import { ConnectionLostError, rpc } from "@web/core/network/rpc";

/*
 * The phone's outbox: each action of the engineer (check-in, photo, part, signature...)
 * is kept in localStorage with a unique key until the server has applied it. The server
 * applies a key once, so an action sent twice (the answer lost with the network) is
 * harmless. The actions are sent in the order they were done, with the time they were done.
 */

const STORAGE_PREFIX = "aftersales_field_queue_";
const ERROR_KEY = "aftersales_field_error";

export function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes); // works without https, unlike crypto.randomUUID
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class FieldQueue {
    constructor(uid) {
        this.storageKey = `${STORAGE_PREFIX}${uid}`;
        this.sending = null;
    }

    load() {
        try {
            return JSON.parse(localStorage.getItem(this.storageKey) || "[]");
        } catch {
            return [];
        }
    }

    save(items) {
        localStorage.setItem(this.storageKey, JSON.stringify(items));
    }

    /** Keep an action on the phone; throws when the phone's storage is full. */
    push(action, ticketId, values) {
        const items = this.load();
        items.push({
            key: newKey(),
            action,
            ticket_id: ticketId,
            at: new Date().toISOString(),
            values,
        });
        this.save(items);
    }

    get size() {
        return this.load().length;
    }

    /**
     * Send the waiting actions in order. Resolves to {applied, errors, offline}.
     * An action the server refuses (closed ticket, empty van...) leaves the queue with
     * its message; without network or session, the actions stay.
     */
    flush() {
        if (!this.sending) {
            this.sending = this._flush().finally(() => {
                this.sending = null;
            });
        }
        return this.sending;
    }

    async _flush() {
        const result = { applied: 0, errors: [], offline: false };
        let items = this.load();
        while (items.length) {
            const item = items[0];
            let answer;
            try {
                answer = await rpc("/aftersales/field/action", item, { silent: true });
            } catch (error) {
                if (error instanceof ConnectionLostError) {
                    result.offline = true;
                    break;
                }
                const name = error.data?.name || "";
                if (name.includes("SessionExpired")) {
                    result.offline = true;
                    break;
                }
                answer = { status: "error", message: error.data?.message || error.message };
            }
            // the server may have been given the same queue by another tab: reload it
            items = this.load().filter((other) => other.key !== item.key);
            this.save(items);
            if (answer.status === "error") {
                result.errors.push(answer.message);
            } else {
                result.applied++;
            }
        }
        return result;
    }

    static rememberError(message) {
        sessionStorage.setItem(ERROR_KEY, message);
    }

    static takeError() {
        const message = sessionStorage.getItem(ERROR_KEY);
        sessionStorage.removeItem(ERROR_KEY);
        return message;
    }
}
