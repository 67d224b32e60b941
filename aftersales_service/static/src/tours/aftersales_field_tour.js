import { registry } from "@web/core/registry";

/*
 * The engineer's day on a 390x844 phone (tests/test_field_tour.py): open today's visits,
 * check in, add a photo, use a part from the van, the customer signs, close.
 */

const READY = ".o_aftersales_field.o_aftersales_field_ready";

function stubLocation() {
    // the plant's gate, 75 m from the customer's address
    navigator.geolocation.getCurrentPosition = (success) =>
        success({ coords: { latitude: 31.231, longitude: 121.474, accuracy: 9 } });
}

function fakePhoto() {
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 48;
    const context = canvas.getContext("2d");
    context.fillStyle = "#c03";
    context.fillRect(0, 0, 64, 48);
    return new Promise((resolve) =>
        canvas.toBlob((blob) => resolve(new File([blob], "leak.png", { type: "image/png" })))
    );
}

function pointer(type, canvas, x, y) {
    const box = canvas.getBoundingClientRect();
    canvas.dispatchEvent(
        new PointerEvent(type, {
            bubbles: true,
            pointerId: 1,
            clientX: box.left + x,
            clientY: box.top + y,
        })
    );
}

registry.category("web_tour.tours").add("aftersales_field_day_tour", {
    steps: () => [
        {
            content: "Today's visits: open the visit",
            expectUnloadPage: true,
            trigger: `${READY} .o_aftersales_field_card:contains(Hydraulic leak) a.card-body`,
            run: "click",
        },
        {
            content: "Check in where the phone is",
            expectUnloadPage: true,
            trigger: `${READY} [data-field-action=checkin]`,
            run() {
                stubLocation();
                this.anchor.click();
            },
        },
        {
            content: "The check-in is recorded",
            trigger: `${READY} .o_aftersales_field_events li:contains(Check-in)`,
        },
        {
            content: "Take a photo before the work",
            expectUnloadPage: true,
            trigger: `${READY} label:has(input[data-photo-kind=before])`,
            async run() {
                const input = this.anchor.querySelector("input");
                const transfer = new DataTransfer();
                transfer.items.add(await fakePhoto());
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The photo is on the visit",
            trigger: `${READY} img.o_aftersales_field_thumb`,
        },
        {
            content: "Use a part from the van",
            expectUnloadPage: true,
            trigger: `${READY} [data-field-action=part]`,
            run: "click",
        },
        {
            content: "The part is on the visit",
            trigger: `${READY} .o_aftersales_field_parts li:contains(Bearing 6204)`,
        },
        {
            content: "Write the work done",
            trigger: `${READY} textarea[name=work_done]`,
            run: "edit Replaced the pump seal",
        },
        {
            content: "The customer signs on the screen",
            trigger: `${READY} canvas.o_aftersales_field_canvas`,
            run() {
                pointer("pointerdown", this.anchor, 20, 40);
                pointer("pointermove", this.anchor, 80, 90);
                pointer("pointermove", this.anchor, 160, 50);
                pointer("pointerup", this.anchor, 160, 50);
            },
        },
        {
            content: "Confirm the signature",
            expectUnloadPage: true,
            trigger: `${READY} [data-field-action=signature]`,
            run: "click",
        },
        {
            content: "The report is signed",
            trigger: `${READY} .o_aftersales_field_sign .text-success`,
        },
        {
            content: "Write the resolution",
            trigger: `${READY} textarea[name=resolution]`,
            run: "edit Pump seal replaced, no more leak",
        },
        {
            content: "Close the visit",
            expectUnloadPage: true,
            trigger: `${READY} [data-field-action=close]`,
            run: "click",
        },
        {
            content: "The ticket is closed",
            trigger: `${READY} .o_aftersales_field_stage:contains(Closed)`,
        },
    ],
});

/*
 * No network (tests/test_field_tour.py): the actions taken offline stay in the phone's
 * storage and are sent once, in order, when the network is back.
 */
registry.category("web_tour.tours").add("aftersales_field_offline_tour", {
    steps: () => [
        {
            content: "The network drops",
            trigger: `${READY} [data-field-action=checkin]`,
            run() {
                const send = XMLHttpRequest.prototype.send;
                window.__aftersalesXhr = { send, open: XMLHttpRequest.prototype.open };
                XMLHttpRequest.prototype.send = function () {
                    if (String(this.__url || "").includes("/aftersales/field/action")) {
                        setTimeout(() => this.dispatchEvent(new Event("error")));
                        return;
                    }
                    return send.apply(this, arguments);
                };
                const open = XMLHttpRequest.prototype.open;
                XMLHttpRequest.prototype.open = function (method, url) {
                    this.__url = url;
                    return open.apply(this, arguments);
                };
                stubLocation();
                this.anchor.click();
            },
        },
        {
            content: "The check-in waits on the phone",
            trigger: `${READY} .o_aftersales_field_status:contains(No network: 1 action)`,
        },
        {
            content: "Write a note",
            trigger: `${READY} textarea[name=note]`,
            run: "edit Customer asked for a second visit next week",
        },
        {
            content: "Add the note without network",
            trigger: `${READY} [data-field-action=note]`,
            run: "click",
        },
        {
            content: "Both actions wait on the phone; the network is back",
            trigger: `${READY} .o_aftersales_field_status:contains(No network: 2 action)`,
            run() {
                const kept = Object.keys(localStorage).filter((key) =>
                    key.startsWith("aftersales_field_queue_")
                );
                if (kept.length !== 1 || JSON.parse(localStorage.getItem(kept[0])).length !== 2) {
                    throw new Error("the two actions are not kept in the phone's storage");
                }
                XMLHttpRequest.prototype.send = window.__aftersalesXhr.send;
                XMLHttpRequest.prototype.open = window.__aftersalesXhr.open;
                window.dispatchEvent(new Event("online"));
            },
            expectUnloadPage: true,
        },
        {
            content: "Back online: the waiting actions are sent once, nothing waits any more",
            trigger: `${READY} .o_aftersales_field_events li:contains(Check-in)`,
            run() {
                const status = document.querySelector(".o_aftersales_field_status");
                if (!status.classList.contains("d-none")) {
                    throw new Error(`actions still waiting: ${status.textContent}`);
                }
            },
        },
    ],
});
