"""The channel API fuzzed from its own OpenAPI document with Schemathesis.

The document the API serves (``GET /aftersales/api/v1/openapi.json``) drives Schemathesis
against the test server: valid and invalid bodies, bounded (few examples, a fixed seed) so
that the run is short and repeatable. Every answer must be documented (status, content
type, body schema), never a 5xx, and only the calls answered 201 create a ticket.
"""

import json
import sys
import warnings
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesCase

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # jsonschema's, in schemathesis
        import schemathesis
        from hypothesis import HealthCheck, Phase, given, settings
        from schemathesis import DataGenerationMethod
        from schemathesis.checks import not_a_server_error
        from schemathesis.specs.openapi.checks import (
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
            status_code_conformance,
        )
        from schemathesis.specs.openapi.schemas import OpenApi30  # noqa: F401 (loaded here)
except ImportError:  # pragma: no cover - listed in requirements.txt
    schemathesis = None

if schemathesis:
    try:
        # Hypothesis reads the constants of every module it has not seen, and the whole Odoo
        # source counts: mark the modules already loaded as seen (see test_sla_engine).
        from hypothesis.internal.conjecture import providers as _providers

        _providers._seen_modules.update(id(module) for module in list(sys.modules.values()))
        _providers._sys_modules_len = len(sys.modules)
    except (ImportError, AttributeError):  # pragma: no cover - other Hypothesis versions
        _providers = None

URL = "/aftersales/api/v1/tickets"
CHECKS = (
    (
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    )
    if schemathesis
    else ()
)


@tagged("post_install", "-at_install")
class TestApiFuzz(HttpCase, AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = new_test_user(
            cls.env, login="as_fuzz_api", groups="aftersales_service.group_aftersales_user"
        )
        cls.team_a.member_ids = [(4, cls.api_user.id)]
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.api_user)
            ._generate(None, "Fuzz", fields.Datetime.now() + timedelta(hours=12))
        )

    def test_openapi_document_is_served(self):
        response = self.url_open("/aftersales/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertTrue(document["openapi"].startswith("3."))
        self.assertIn(URL, document["paths"])
        self.assertEqual(document["servers"][0]["url"], self.base_url())
        static = self.url_open("/aftersales_service/static/api/openapi.json").json()
        self.assertEqual(static["paths"], document["paths"], "the file kept in the repository")

    def fuzz(self, method, max_examples):
        document = self.url_open("/aftersales/api/v1/openapi.json").json()
        # the codes this database knows, so that valid bodies can create tickets too
        fields_schema = document["components"]["schemas"]["TicketRequest"]["properties"]
        fields_schema["channel"]["enum"] = self.env["aftersales.channel"].search([]).mapped("code")
        fields_schema["type"]["enum"] = ["repair", "guidance"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # jsonschema's, in schemathesis
            schema = schemathesis.from_dict(
                document, base_url=self.base_url(), data_generation_methods=[method]
            )
        operation = schema[URL]["POST"]
        Ticket = self.env["aftersales.ticket"].with_context(active_test=False)
        created = []

        @settings(
            max_examples=max_examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            before = Ticket.search_count([])
            response = case.call(
                session=self.opener, headers={"Authorization": f"Bearer {self.api_key}"}
            )
            case.validate_response(response, checks=CHECKS)
            after = Ticket.search_count([])
            self.assertEqual(after - before, 1 if response.status_code == 201 else 0)
            if response.status_code == 201:
                created.append(response.json()["id"])

        with mute_logger("odoo.addons.aftersales_service.controllers.api"):
            run()
        return created

    def test_fuzz_valid_bodies(self):
        if not schemathesis:
            self.skipTest("schemathesis is not installed (requirements.txt)")
        self.fuzz(DataGenerationMethod.positive, max_examples=25)
        # the server still creates tickets after the fuzzing
        body = {"channel": "api", "subject": "After the fuzz", "customer": self.customer.id}
        response = self.url_open(
            URL,
            data=json.dumps(body),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.api_key}",
            },
        )
        self.assertEqual(response.status_code, 201, response.text)

    def test_fuzz_invalid_bodies(self):
        """Bodies that break the schema. Schemathesis may also negate a header this test
        then sets itself (the key), so a 201 is possible: each call is still checked to
        create a ticket exactly when it answers 201."""
        if not schemathesis:
            self.skipTest("schemathesis is not installed (requirements.txt)")
        self.fuzz(DataGenerationMethod.negative, max_examples=25)
