"""The JS unit test of the KA matrix view (static/tests/key_accounts/ka_matrix.test.js),
run by Hoot in the headless browser: points, thresholds, quadrants, hover and click."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestKaMatrixView(HttpCase):
    def test_ka_matrix_hoot(self):
        self.browser_js(
            "/web/tests?headless&loglevel=2&preset=desktop&timeout=15000&tag=sale_governance",
            "",
            "",
            login="admin",
            timeout=900,
            success_signal="[HOOT] Test suite succeeded",
            error_checker=lambda message: "[HOOT]" not in message,
        )
