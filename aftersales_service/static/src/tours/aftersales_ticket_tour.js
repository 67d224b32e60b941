import { registry } from "@web/core/registry";

/*
 * The life of a service ticket, in four tours run one after the other by
 * tests/test_tour.py (which checks the database between them):
 * the agent records and dispatches it, the engineer writes the service report,
 * the customer signs it in the portal, the engineer closes the ticket.
 */

const SUBJECT = "Spindle noise on HX-200 - tour";

function pickMany2one(fieldName, search, label) {
    return [
        {
            content: `Search ${search} in ${fieldName}`,
            trigger: `.o_field_widget[name=${fieldName}] input`,
            run: `edit ${search}`,
        },
        {
            content: `Choose ${label}`,
            trigger: `.o-autocomplete--dropdown-item a:contains(${label})`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("aftersales_agent_tour", {
    steps: () => [
        {
            content: "Write the subject of the request",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: `edit ${SUBJECT}`,
        },
        ...pickMany2one("partner_id", "Zhang Wei", "Zhang Wei"),
        ...pickMany2one("type_id", "Repair", "Repair"),
        ...pickMany2one("lot_id", "HX200-0001", "HX200-0001"),
        {
            content: "The serial number gives the product",
            trigger: ".o_field_widget[name=product_id] input:value(Injection Moulding Machine HX-200)",
        },
        {
            content: "Save the ticket",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The ticket is numbered",
            trigger: ".o_form_saved .o_field_widget[name=number]:contains(AS)",
        },
        {
            content: "The new ticket waits for dispatch",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(New)",
        },
        ...pickMany2one("user_id", "Alice", "Alice Zhao"),
        {
            content: "Save the dispatch",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The ticket is dispatched",
            trigger: ".o_form_saved .o_statusbar_status button.o_arrow_button_current:contains(Dispatched)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_engineer_visit_tour", {
    steps: () => [
        {
            content: "Open the service report",
            trigger: ".o_notebook a[name=service_report]",
            run: "click",
        },
        {
            content: "Record the arrival on site",
            trigger: ".o_field_widget[name=arrival_date] input",
            run: "edit 01/15/2026 10:00:00 && press Enter",
        },
        {
            content: "Describe the work done",
            trigger: ".o_field_widget[name=work_done] .odoo-editor-editable div.o-paragraph",
            run: "editor Replaced the spindle bearing and tested the machine.",
        },
        {
            content: "Open the resolution",
            trigger: ".o_notebook a[name=resolution]",
            run: "click",
        },
        {
            content: "Write the resolution",
            trigger: ".o_field_widget[name=resolution] .odoo-editor-editable div.o-paragraph",
            run: "editor Worn spindle bearing replaced.",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the report can be printed",
            trigger: ".o_form_saved button[name=action_print_report]",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_customer_sign_tour", {
    steps: () => [
        {
            content: "Open the request in the customer portal",
            trigger: `tr.o_aftersales_portal_ticket:contains(${SUBJECT}) a`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The service report is shown",
            trigger: "#aftersales_ticket_report:contains(Replaced the spindle bearing)",
        },
        {
            content: "Sign the service report",
            trigger: "a.o_aftersales_sign",
            run: "click",
        },
        {
            content: "The name of the customer is proposed",
            trigger: ".modal .o_web_sign_name_and_signature input:value(Li Na)",
        },
        {
            content: "The signature is drawn from the name",
            trigger: ".modal canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Send the signature",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The report is signed",
            trigger: ".alert-success:contains(The service report is signed)",
        },
        {
            content: "The signature is on the page",
            trigger: ".o_aftersales_signed:contains(Li Na)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_engineer_close_tour", {
    steps: () => [
        {
            content: "The customer's signature is on the ticket",
            trigger: ".o_notebook a[name=service_report]",
            run: "click",
        },
        {
            content: "Signed by the customer",
            trigger: ".o_field_widget[name=signed_by] input:value(Li Na)",
        },
        {
            content: "Open the other stages",
            trigger: ".o_statusbar_status button.dropdown-toggle.o_first",
            run: "click",
        },
        {
            content: "Close the ticket",
            trigger: ".o-dropdown-item:contains(Closed)",
            run: "click",
        },
        {
            content: "The ticket is closed",
            trigger: ".o_form_saved .o_statusbar_status button.o_arrow_button_current:contains(Closed)",
        },
    ],
});
