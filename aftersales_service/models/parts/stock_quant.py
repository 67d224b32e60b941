from odoo import api, models
from odoo.tools import SQL


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _aftersales_lock_for_reservation(self, products, locations):
        """Lock the quants the reservation of `products` in `locations` may take.

        Two tickets reserving the last unit at the same time: the second transaction cannot
        lock the quant (NOWAIT) and fails with a concurrency error that Odoo retries once
        the first one committed; the retry sees the unit reserved. Without the lock, both
        transactions would read the same free quantity and both reserve it.
        """
        if not products or not locations:
            return
        self.flush_model()
        paths = [f"{path}%" for path in locations.mapped("parent_path")]
        self.env.cr.execute(
            SQL(
                """SELECT quant.id FROM stock_quant quant
                     JOIN stock_location location ON location.id = quant.location_id
                    WHERE quant.product_id IN %s AND location.parent_path LIKE ANY(%s)
                    ORDER BY quant.id
                      FOR NO KEY UPDATE OF quant NOWAIT""",
                tuple(products.ids),
                paths,
            ),
            # a concurrency error here is expected and retried, not a bad query
            log_exceptions=False,
        )
