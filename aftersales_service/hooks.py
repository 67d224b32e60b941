def post_init_hook(env):
    """Set-up of the records that depend on data existing before the installation."""
    # spare parts: every existing warehouse gets its after-sales locations and operation types
    env["stock.warehouse"].with_context(active_test=False).search([])._aftersales_setup_parts()
