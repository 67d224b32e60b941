from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
        help="The service ticket whose closing sent this satisfaction survey.",
        groups="base.group_user",
    )

    def _mark_done(self):
        res = super()._mark_done()
        # the customer answers as a portal or public user: the ticket link is read in sudo
        for answer in self.sudo().filtered(lambda a: a.aftersales_ticket_id and not a.test_entry):
            answer.aftersales_ticket_id.sudo()._apply_survey_answer(answer)
        return res

    def _aftersales_scores(self):
        """The scores of this answer by after-sales dimension.

        A SERVQUAL dimension and the overall satisfaction score 0-100: the mean, over the
        answered scale questions of the dimension, of (value - minimum) / (maximum - minimum).
        `recommend` is the scale value itself (0-10), `comment` the free text. Dimensions
        without an answer are left out.
        """
        self.ensure_one()
        values = {}
        comments = []
        for line in self.user_input_line_ids.filtered(lambda ln: not ln.skipped):
            question = line.question_id
            dimension = question.aftersales_dimension
            if not dimension:
                continue
            if dimension == "comment":
                text = line.value_text_box or line.value_char_box
                if text:
                    comments.append(text)
            elif line.answer_type == "scale" and question.scale_max > question.scale_min:
                if dimension == "recommend":
                    values.setdefault(dimension, []).append(float(line.value_scale))
                    continue
                span = question.scale_max - question.scale_min
                score = (line.value_scale - question.scale_min) * 100.0 / span
                values.setdefault(dimension, []).append(score)
        scores = {dimension: sum(items) / len(items) for dimension, items in values.items()}
        if comments:
            scores["comment"] = "\n".join(comments)
        return scores
