import {expect, test} from "@odoo/hoot";
import {click, hover} from "@odoo/hoot-dom";
import {animationFrame} from "@odoo/hoot-mock";
import {mailModels} from "@mail/../tests/mail_test_helpers";
import {
    defineActions,
    defineModels,
    defineParams,
    getService,
    mountWithCleanup,
    onRpc,
    patchWithCleanup,
    switchView,
    toggleMenuItem,
    toggleSearchBarMenu,
} from "@web/../tests/web_test_helpers";
import {WebClient} from "@web/webclient/webclient";

import {toX, toY} from "@sale_governance/key_accounts/ka_matrix";

// Key Accounts as the addon's window action has it: the matrix beside the list, one search.
class ResPartner extends mailModels.ResPartner {
    _views = {
        list: `<list><field name="name"/></list>`,
        ka_matrix: `<ka_matrix string="Key-Account Matrix"/>`,
        search: `<search>
            <filter name="mine" string="My Customers" domain="[('user_id', '=', uid)]"/>
        </search>`,
    };
}

defineParams({suite: "mail"}, "replace");
defineModels({...mailModels, ResPartner});
defineActions([
    {
        id: 1,
        xml_id: "sale_governance.res_partner_action_key_accounts",
        name: "Key Accounts",
        res_model: "res.partner",
        type: "ir.actions.act_window",
        views: [
            [false, "list"],
            [false, "ka_matrix"],
        ],
    },
]);

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

async function openMatrix(domains) {
    onRpc("res.partner", "ka_matrix_data", ({kwargs}) => {
        domains.push(kwargs.domain);
        // what the server does with the search's domain: "My Customers" keeps Hanil only
        const mine = JSON.stringify(kwargs.domain).includes("user_id");
        return {
            ...MATRIX,
            points: MATRIX.points.filter((p) => !mine || p.id === 12),
        };
    });
    await mountWithCleanup(WebClient);
    await getService("action").doAction(1);
    await switchView("ka_matrix");
    await animationFrame();
}

test.tags("sale_governance");
test("KA matrix: dots at (position, attractiveness), thresholds, quadrants, click opens the customer", async () => {
    const domains = [];
    await openMatrix(domains);
    const opened = [];
    patchWithCleanup(getService("action"), {
        doAction(request, options) {
            if (typeof request === "object" && request.res_model === "res.partner") {
                opened.push(request.res_id);
                return;
            }
            return super.doAction(request, options);
        },
    });

    expect(".o_switch_view.o_ka_matrix").toHaveClass("active");
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

test.tags("sale_governance");
test("KA matrix: the search of Key Accounts applies, also when set in another view", async () => {
    const domains = [];
    await openMatrix(domains);
    expect(domains.at(-1)).toEqual([]);

    // a filter chosen on the matrix redraws it within the filter's domain
    await toggleSearchBarMenu();
    await toggleMenuItem("My Customers");
    await animationFrame();
    expect(JSON.stringify(domains.at(-1))).toInclude("user_id");
    expect("circle.o_ka_dot").toHaveCount(1);
    expect("circle.o_ka_dot[data-partner-id='12']").toHaveCount(1);
    expect(".o_ka_matrix text:contains('Star (0)')").toHaveCount(1);

    // the filter stays when going to the list and back to the matrix
    await switchView("list");
    expect(".o_searchview_facet").toHaveText(/My Customers/);
    await switchView("ka_matrix");
    await animationFrame();
    expect(JSON.stringify(domains.at(-1))).toInclude("user_id");
    expect("circle.o_ka_dot").toHaveCount(1);
});
