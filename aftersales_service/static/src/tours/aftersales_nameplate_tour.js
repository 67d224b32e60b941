import { registry } from "@web/core/registry";

/*
 * Someone on the factory floor scans the nameplate QR code with a phone
 * (tests/test_nameplate_tour.py runs this at 390x844): the warranty is shown,
 * they report a fault and see its number; then the agent finds the ticket.
 */

registry.category("web_tour.tours").add("aftersales_nameplate_tour", {
    steps: () => [
        {
            content: "The machine and its warranty are shown",
            trigger: ".o_aftersales_nameplate_warranty:contains(Under warranty)",
        },
        {
            content: "The serial number is shown",
            trigger: ".o_aftersales_nameplate_serial:contains(QRT0000)",
        },
        {
            content: "Give a name",
            trigger: "input[name=name]",
            run: "edit Li Gong",
        },
        {
            content: "Give a phone number",
            trigger: "input[name=phone]",
            run: "edit 138 0013 8000",
        },
        {
            content: "Describe the fault",
            trigger: "textarea[name=description]",
            run: "edit Nameplate tour: the heater does not warm up",
        },
        {
            content: "Send the report",
            trigger: ".o_aftersales_nameplate_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request number is shown",
            trigger: ".o_aftersales_nameplate_reported:contains(AS)",
        },
        {
            content: "The request is followed on the same page",
            trigger: ".o_aftersales_nameplate_ticket:contains(AS)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_nameplate_agent_tour", {
    steps: () => [
        {
            content: "The agent sees the reported ticket among the open ones",
            trigger: ".o_kanban_record:contains(Fault reported from the nameplate of QRT0000)",
            run: "click",
        },
        {
            content: "It came from the QR code, with the reporter as the contact",
            trigger: ".o_form_view .o_field_widget[name=partner_name] input:value(Li Gong)",
        },
    ],
});
