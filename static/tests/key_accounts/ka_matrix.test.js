import {expect, test} from "@odoo/hoot";
import {click, hover} from "@odoo/hoot-dom";
import {animationFrame} from "@odoo/hoot-mock";
import {defineMailModels} from "@mail/../tests/mail_test_helpers";
import {
    getService,
    mountWithCleanup,
    onRpc,
    patchWithCleanup,
} from "@web/../tests/web_test_helpers";
import {WebClient} from "@web/webclient/webclient";

import {toX, toY} from "@sale_governance/key_accounts/ka_matrix";

defineMailModels();

const MATRIX = {
    attract_threshold: 60,
    position_threshold: 40,
    currency: "USD",
    labels: {star: "Star", question: "Question", cash_cow: "Cash Cow", dog: "Dog"},
    points: [
        {
            id: 11,
            name: "Huaxin",
            attract: 80,
            position: 70,
            invoiced: 900,
            quadrant: "star",
            quadrant_label: "Star",
            radius: 18,
        },
        {
            id: 12,
            name: "Hanil",
            attract: 20,
            position: 10,
            invoiced: 0,
            quadrant: "dog",
            quadrant_label: "Dog",
            radius: 4,
        },
    ],
};

test.tags("sale_governance");
test("KA matrix: dots at (position, attractiveness), thresholds, quadrants, click opens the customer", async () => {
    onRpc("res.partner", "ka_matrix_data", () => MATRIX);
    await mountWithCleanup(WebClient);
    const action = getService("action");
    const opened = [];
    patchWithCleanup(action, {
        doAction(request, options) {
            if (typeof request === "object" && request.res_model === "res.partner") {
                opened.push(request.res_id);
                return;
            }
            return super.doAction(request, options);
        },
    });
    await action.doAction("sale_governance.ka_matrix");
    await animationFrame();

    expect("circle.o_ka_dot").toHaveCount(2);
    const huaxin = "circle.o_ka_dot[data-partner-id='11']";
    expect(huaxin).toHaveAttribute("cx", String(toX(70)));
    expect(huaxin).toHaveAttribute("cy", String(toY(80)));
    expect(huaxin).toHaveAttribute("r", "18");
    expect("circle.o_ka_dot[data-partner-id='12']").toHaveAttribute("r", "4");
    expect("line.o_ka_threshold_position").toHaveAttribute("x1", String(toX(40)));
    expect("line.o_ka_threshold_attract").toHaveAttribute("y1", String(toY(60)));
    expect("rect.o_ka_quadrant").toHaveCount(4);
    expect(".o_ka_matrix text:contains('Star (1)')").toHaveCount(1);

    await hover(huaxin);
    await animationFrame();
    expect(".o_ka_hover").toHaveText(/Huaxin/);

    await click(huaxin);
    await animationFrame();
    expect(opened).toEqual([11]);
});
