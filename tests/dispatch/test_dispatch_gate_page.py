from odoo.tests import HttpCase, tagged

from .common import DispatchCase


@tagged("post_install", "-at_install")
class TestGateCheckPage(HttpCase, DispatchCase):
    """The guard's page: one request shows the pass; the exit is recorded once."""

    def test_guard_page_one_time_exit(self):
        picking, gate_pass = self._done_with_pass(qty=2)
        url = gate_pass._sg_check_url()
        # Not a guard: refused.
        self.authenticate("t_dn_dispatcher", "t_dn_dispatcher")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 403)
        self.assertNotIn(gate_pass.name, page.text)
        # The guard scans the QR code: valid, with vehicle, driver and goods.
        self.authenticate("t_dn_guard", "t_dn_guard")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("sg_gate_valid", page.text)
        self.assertIn(gate_pass.name, page.text)
        self.assertIn("ZJ-E 88888", page.text)
        self.assertIn(self.product.display_name, page.text)
        self.assertIn('name="viewport"', page.text)
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        # Typing the number finds it too.
        page = self.url_open("/sale_governance/gate?code=" + gate_pass.name)
        self.assertIn("sg_gate_valid", page.text)
        # Record the exit.
        page = self.url_open(url + "/exit", data={"csrf_token": csrf})
        self.assertEqual(page.status_code, 200)
        self.assertIn("Exit recorded", page.text)
        gate_pass.invalidate_recordset()
        self.assertEqual(gate_pass.state, "used")
        # A second scan is refused.
        page = self.url_open(url)
        self.assertIn("sg_gate_refusal", page.text)
        self.assertIn("already used", page.text)
        page = self.url_open(url + "/exit", data={"csrf_token": csrf})
        self.assertEqual(page.status_code, 409)
        self.assertIn("already used", page.text)
        # An unknown code.
        page = self.url_open("/sale_governance/gate/pass/not-a-pass")
        self.assertEqual(page.status_code, 404)
