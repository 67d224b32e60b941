import { registry } from "@web/core/registry";

/*
 * The customer rates the service from the portal page of a closed request
 * (tests/test_survey_tour.py checks the scores stored on the ticket).
 * The answers are the fixed answer set of tests/satisfaction_common.py.
 */

const ANSWERS = [
    ["professionally dressed", 5],
    ["service report and the documents", 4],
    ["hotline", 3],
    ["what we promised, when", 5],
    ["right the first time", 5],
    ["worked properly", 5],
    ["answered your request promptly", 2],
    ["arrived on site", 3],
    ["kept you informed", 4],
    ["knowledge and skills", 4],
    ["courteous", 5],
    ["specific needs", 1],
    ["convenient for you", 2],
    ["Overall, how satisfied", 4],
    ["recommend us", 8],
];

registry.category("web_tour.tours").add("aftersales_survey_portal_tour", {
    steps: () => [
        {
            content: "The closed request offers to rate the service",
            trigger: "a.o_aftersales_survey_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Start the survey",
            trigger: 'button.btn:contains("Start")',
            run: "click",
        },
        ...ANSWERS.map(([question, value]) => ({
            content: `Answer ${value} to "${question}"`,
            trigger: `div.js_question-wrapper:contains("${question}") label:has(input[value="${value}"])`,
            run: "click",
        })),
        {
            content: "Leave a comment",
            trigger: 'div.js_question-wrapper:contains("Any comment") textarea',
            run: "edit Fast and friendly, but call before you come.",
        },
        {
            content: "Submit",
            trigger: 'button[value="finish"]',
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Thank you",
            trigger: 'h1:contains("Thank you!")',
        },
    ],
});
