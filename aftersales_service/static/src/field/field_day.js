import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { Interaction } from "@web/public/interaction";
import { FieldQueue } from "./field_queue";

const PHOTO_MAX_SIDE = 1600; // the server scales down to 1920 px too: keep the outbox small
const RETRY_MS = 30000;
const EARTH_RADIUS_M = 6371000;

function distanceM(lat1, lon1, lat2, lon2) {
    const rad = (deg) => (deg * Math.PI) / 180;
    const dPhi = rad(lat2 - lat1);
    const dLambda = rad(lon2 - lon1);
    const a =
        Math.sin(dPhi / 2) ** 2 +
        Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLambda / 2) ** 2;
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Where the phone is, or null (no permission, no fix within 15 s, no GPS). */
function currentLocation() {
    if (!navigator.geolocation) {
        return Promise.resolve(null);
    }
    return new Promise((resolve) => {
        navigator.geolocation.getCurrentPosition(
            (position) =>
                resolve({
                    latitude: position.coords.latitude,
                    longitude: position.coords.longitude,
                    accuracy: position.coords.accuracy,
                }),
            () => resolve(null),
            { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
    });
}

/** The photo as a JPEG of at most PHOTO_MAX_SIDE px, base64 without the data: prefix. */
async function shrinkPhoto(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL("image/jpeg", 0.85).split(",")[1];
}

export class AftersalesFieldDay extends Interaction {
    static selector = ".o_aftersales_field";
    dynamicContent = {
        "[data-field-action]": { "t-on-click.prevent": this.onAction },
        "[data-photo-kind]": { "t-on-change": this.onPhoto },
        "[data-field-clear]": { "t-on-click.prevent": this.clearSignature },
        "[data-field-replenish]": { "t-on-click.prevent": this.onReplenish },
        _window: { "t-on-online": () => this.send() },
    };

    setup() {
        this.queue = new FieldQueue(this.el.dataset.uid);
        this.visit = this.el.querySelector(".o_aftersales_field_visit");
        this.statusEl = this.el.querySelector(".o_aftersales_field_status");
        this.errorEl = this.el.querySelector(".o_aftersales_field_error");
        this.canvas = this.el.querySelector(".o_aftersales_field_canvas");
        this.inked = false;
    }

    start() {
        const error = FieldQueue.takeError();
        if (error) {
            this.showError(error);
        }
        if (this.canvas) {
            this.setupCanvas();
        }
        const timer = setInterval(() => this.queue.size && this.send(), RETRY_MS);
        this.registerCleanup(() => clearInterval(timer));
        this.renderStatus();
        if (this.queue.size) {
            this.send();
        }
        this.el.classList.add("o_aftersales_field_ready");
    }

    // ------------------------------------------------------------ outbox

    renderStatus(offline = false) {
        const waiting = this.queue.size;
        this.statusEl.classList.toggle("d-none", !waiting);
        if (waiting) {
            this.statusEl.textContent = offline
                ? _t("No network: %(count)s action(s) kept on the phone, sent when the network is back.", {
                      count: waiting,
                  })
                : _t("Sending %(count)s action(s)…", { count: waiting });
        }
    }

    showError(message) {
        this.errorEl.textContent = message;
        this.errorEl.classList.remove("d-none");
        this.errorEl.scrollIntoView({ block: "center" });
    }

    async send() {
        this.renderStatus();
        const result = await this.waitFor(this.queue.flush());
        this.renderStatus(result.offline);
        if (result.errors.length) {
            FieldQueue.rememberError(result.errors.join("\n"));
        }
        if ((result.applied || result.errors.length) && !this.queue.size) {
            window.location.reload();
        }
    }

    enqueue(action, values) {
        try {
            this.queue.push(action, Number(this.visit.dataset.ticketId), values);
        } catch {
            this.showError(_t("The phone's storage is full: find a network to send what is waiting."));
            return;
        }
        this.send();
    }

    // ------------------------------------------------------------ actions

    value(name) {
        const input = this.el.querySelector(`[name=${name}]`);
        return input ? input.value.trim() : "";
    }

    async onAction(ev) {
        const button = ev.currentTarget; // reset once the event is dispatched
        const action = button.dataset.fieldAction;
        const handler = {
            checkin: () => this.checkIn(),
            pause: () => this.event("pause"),
            resume: () => this.event("resume"),
            checkout: () => this.event("checkout"),
            note: () => this.valued("note", { note: this.value("note") }, _t("Write the note first.")),
            part: () => this.part(),
            signature: () => this.sign(),
            close: () => this.enqueue("close", { resolution: this.value("resolution") }),
        }[action];
        button.disabled = true;
        try {
            await this.waitFor(Promise.resolve(handler()));
        } finally {
            button.disabled = false;
        }
    }

    valued(action, values, emptyMessage) {
        if (!Object.values(values)[0]) {
            this.showError(emptyMessage);
            return;
        }
        this.enqueue(action, values);
    }

    async event(kind) {
        const location = await currentLocation();
        this.enqueue(kind, { ...(location || {}) });
    }

    async checkIn() {
        const location = await currentLocation();
        const { radius, partnerLat, partnerLon } = this.visit.dataset;
        let problem = !location;
        if (location && partnerLat && partnerLon) {
            const distance = distanceM(
                location.latitude,
                location.longitude,
                Number(partnerLat),
                Number(partnerLon)
            );
            problem = distance > Number(radius);
        }
        const reason = this.value("reason");
        if (problem && !reason) {
            this.el.querySelector(".o_aftersales_field_reason").classList.remove("d-none");
            this.showError(
                location
                    ? _t("You are far from the customer's address: say why, then check in again.")
                    : _t("The phone gives no location: say why, then check in again.")
            );
            this.el.querySelector("[name=reason]").focus();
            return;
        }
        this.enqueue("checkin", { ...(location || {}), reason });
    }

    part() {
        const quantity = Number(this.value("quantity"));
        if (!this.value("product_id") || !(quantity > 0)) {
            this.showError(_t("Choose a part of your van and a quantity."));
            return;
        }
        this.enqueue("part", { product_id: Number(this.value("product_id")), quantity });
    }

    async onPhoto(ev) {
        const input = ev.currentTarget;
        const file = input.files && input.files[0];
        if (!file) {
            return;
        }
        if (!file.type.startsWith("image/")) {
            this.showError(_t("Only photos can be attached."));
            return;
        }
        let image;
        try {
            image = await this.waitFor(shrinkPhoto(file));
        } catch {
            this.showError(_t("This photo cannot be read: take it again."));
            return;
        }
        input.value = "";
        this.enqueue("photo", { kind: input.dataset.photoKind, image });
    }

    // ------------------------------------------------------------ signature

    setupCanvas() {
        const canvas = this.canvas;
        canvas.width = canvas.clientWidth || 320;
        const context = canvas.getContext("2d");
        context.lineWidth = 2;
        context.lineCap = "round";
        let drawing = false;
        const point = (ev) => {
            const box = canvas.getBoundingClientRect();
            return [ev.clientX - box.left, ev.clientY - box.top];
        };
        this.addListener(canvas, "pointerdown", (ev) => {
            drawing = true;
            try {
                canvas.setPointerCapture(ev.pointerId);
            } catch {
                // a pointer the browser does not track (a synthetic event): draw anyway
            }
            context.beginPath();
            context.moveTo(...point(ev));
        });
        this.addListener(canvas, "pointermove", (ev) => {
            if (drawing) {
                context.lineTo(...point(ev));
                context.stroke();
                this.inked = true;
            }
        });
        this.addListener(canvas, "pointerup", () => (drawing = false));
        canvas.style.touchAction = "none";
    }

    clearSignature() {
        this.canvas.getContext("2d").clearRect(0, 0, this.canvas.width, this.canvas.height);
        this.inked = false;
    }

    sign() {
        if (!this.inked || !this.value("signer")) {
            this.showError(_t("The customer writes their name and signs in the box."));
            return;
        }
        this.enqueue("signature", {
            name: this.value("signer"),
            work_done: this.value("work_done"),
            signature: this.canvas.toDataURL("image/png"),
        });
    }

    // ------------------------------------------------------------ van

    async onReplenish() {
        const quantity = Number(this.value("refill_quantity"));
        const productId = Number(this.value("refill_product_id"));
        if (!productId || !(quantity > 0)) {
            this.showError(_t("Choose a part and a quantity."));
            return;
        }
        let answer;
        try {
            answer = await this.waitFor(
                rpc("/aftersales/field/replenish", {
                    lines: [{ product_id: productId, quantity }],
                })
            );
        } catch {
            this.showError(_t("No network: ask again when the network is back."));
            return;
        }
        if (answer.status === "error") {
            this.showError(answer.message);
            return;
        }
        window.location.reload();
    }
}

registry.category("public.interactions").add("aftersales_service.field_day", AftersalesFieldDay);
