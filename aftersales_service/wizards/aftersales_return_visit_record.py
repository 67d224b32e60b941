from odoo import api, fields, models


class AftersalesReturnVisitRecord(models.TransientModel):
    """回访记录: the outcome of the return visit of a closed ticket."""

    _name = "aftersales.return.visit.record"
    _description = "Record a Return Visit"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, readonly=True)
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer")
    outcome = fields.Selection(
        [
            ("satisfied", "Satisfied"),
            ("problem_persists", "Problem Persists"),
            ("other", "Other"),
        ],
        required=True,
        default="satisfied",
    )
    note = fields.Text(help="What the customer said.")
    persist_action = fields.Selection(
        [
            ("reopen", "Reopen this ticket"),
            ("new_ticket", "Open a linked follow-up ticket"),
        ],
        string="Then",
        compute="_compute_persist_action",
        store=True,
        readonly=False,
        help="Reopen the ticket when the same work goes on; open a follow-up ticket when "
        "new work is needed (it is flagged as a repeat repair when the fault is the same).",
    )

    @api.depends("outcome")
    def _compute_persist_action(self):
        for wizard in self:
            wizard.persist_action = (
                (wizard.persist_action or "reopen")
                if wizard.outcome == "problem_persists"
                else False
            )

    def action_confirm(self):
        self.ensure_one()
        followup = self.ticket_id._record_return_visit(
            self.outcome, note=self.note, persist_action=self.persist_action or "reopen"
        )
        if followup:
            return {
                "type": "ir.actions.act_window",
                "res_model": "aftersales.ticket",
                "res_id": followup.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        return {"type": "ir.actions.act_window_close"}
