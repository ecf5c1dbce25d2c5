from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request

GATE_PASS = "sale.governance.gate.pass"
GROUP_GUARD = "sale_governance.group_gate_guard"


class GatePassCheck(http.Controller):
    """The guard's page (门卫): one request shows whether a gate pass lets the vehicle
    out; a second (POST) records the exit. The QR code printed on the pass opens it."""

    def _render(
        self, gate_pass=None, refusal=None, message=None, code=None, status=200
    ):
        values = {
            "gate_pass": gate_pass,
            "refusal": refusal,
            "message": message,
            "code": code or "",
        }
        return request.render("sale_governance.gate_check_page", values, status=status)

    def _guard_refusal(self):
        if not request.env.user.has_group(GROUP_GUARD):
            return self._render(
                refusal=_("Only gate guards check gate passes."), status=403
            )
        return None

    @http.route("/sale_governance/gate", type="http", auth="user", methods=["GET"])
    def gate_home(self, code=None, **kw):
        denied = self._guard_refusal()
        if denied:
            return denied
        if code:
            gate_pass = request.env[GATE_PASS]._sg_find(code)
            if not gate_pass:
                return self._render(
                    refusal=_(
                        "No gate pass matches %(code)s. Stop the vehicle and call the "
                        "dispatcher.",
                        code=code,
                    ),
                    code=code,
                    status=404,
                )
            return self._show(gate_pass)
        return self._render()

    @http.route(
        "/sale_governance/gate/pass/<string:token>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def gate_pass_page(self, token, **kw):
        denied = self._guard_refusal()
        if denied:
            return denied
        gate_pass = request.env[GATE_PASS]._sg_find(token)
        if not gate_pass or gate_pass.token != token:
            return self._render(
                refusal=_(
                    "This QR code is not a gate pass of ours. Stop the vehicle and "
                    "call the dispatcher."
                ),
                status=404,
            )
        return self._show(gate_pass)

    @http.route(
        "/sale_governance/gate/pass/<string:token>/exit",
        type="http",
        auth="user",
        methods=["POST"],
    )
    def gate_pass_exit(self, token, **kw):
        denied = self._guard_refusal()
        if denied:
            return denied
        gate_pass = request.env[GATE_PASS]._sg_find(token)
        if not gate_pass or gate_pass.token != token:
            return self._render(
                refusal=_("This QR code is not a gate pass of ours."), status=404
            )
        try:
            gate_pass.with_user(request.env.user).with_env(
                request.env
            ).action_sg_record_exit()
        except UserError as exc:
            request.env.cr.rollback()
            return self._show(gate_pass, refusal=exc.args[0], status=409)
        return self._show(gate_pass, message=_("Exit recorded: the vehicle may leave."))

    def _show(self, gate_pass, refusal=None, message=None, status=200):
        gate_pass = gate_pass.sudo()
        refusal = refusal or (
            None if message else gate_pass._sg_refusal(request.env.user)
        )
        if refusal and gate_pass.company_id not in request.env.user.company_ids:
            # Another company's pass: say why, show nothing of its goods.
            return self._render(refusal=refusal, status=403)
        return self._render(
            gate_pass=gate_pass, refusal=refusal, message=message, status=status
        )
