/** @odoo-module **/
// The key-account matrix (policy 002): every classified customer a dot at (our position,
// attractiveness), the thresholds as the cross lines, the four quadrants in their colours.
// A view type of its own (`ka_matrix`, beside kanban / list / pivot of Key Accounts): the
// control panel's filters, search and favourites narrow the customers drawn.

import {Component, onWillStart, onWillUpdateProps, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {formatMonetary} from "@web/views/fields/formatters";
import {Layout} from "@web/search/layout";
import {SearchBar} from "@web/search/search_bar/search_bar";
import {useSearchBarToggler} from "@web/search/search_bar/search_bar_toggler";
import {CogMenu} from "@web/search/cog_menu/cog_menu";
import {standardViewProps} from "@web/views/standard_view_props";

export const SIZE = 640;
export const MARGIN = 48;
const INNER = SIZE - 2 * MARGIN;

export const QUADRANT_STYLE = {
    question: {fill: "#d6eaf8", dot: "#2471a3"},
    star: {fill: "#d5f5e3", dot: "#1e8449"},
    dog: {fill: "#fadbd8", dot: "#b03a2e"},
    cash_cow: {fill: "#fdebd0", dot: "#ca6f1e"},
};

export function toX(score) {
    return MARGIN + (INNER * score) / 100;
}

export function toY(score) {
    return MARGIN + (INNER * (100 - score)) / 100;
}

/** The picture: quadrants, thresholds and dots of ``props.data`` (res.partner.ka_matrix_data). */
export class KaMatrixRenderer extends Component {
    static template = "sale_governance.KaMatrixRenderer";
    static props = {data: Object, openRecord: Function};

    setup() {
        this.size = SIZE;
        this.margin = MARGIN;
        this.inner = INNER;
        this.state = useState({hovered: null});
    }

    get quadrants() {
        const {attract_threshold: ty, position_threshold: tx, labels} = this.props.data;
        const rect = (key, x0, x1, y0, y1) => ({
            key,
            label: labels[key],
            x: toX(x0),
            y: toY(y1),
            width: toX(x1) - toX(x0),
            height: toY(y0) - toY(y1),
            fill: QUADRANT_STYLE[key].fill,
            labelX: (toX(x0) + toX(x1)) / 2,
            labelY: toY(y1) + 20,
            count: this.props.data.points.filter((p) => p.quadrant === key).length,
        });
        return [
            rect("question", 0, tx, ty, 100),
            rect("star", tx, 100, ty, 100),
            rect("dog", 0, tx, 0, ty),
            rect("cash_cow", tx, 100, 0, ty),
        ];
    }

    get dots() {
        // the big ones first, so that small customers stay visible on top
        return [...this.props.data.points]
            .sort((a, b) => b.radius - a.radius)
            .map((p) => ({
                ...p,
                cx: toX(p.position),
                cy: toY(p.attract),
                colour: (QUADRANT_STYLE[p.quadrant] || {dot: "#777"}).dot,
            }));
    }

    get thresholdX() {
        return toX(this.props.data.position_threshold);
    }

    get thresholdY() {
        return toY(this.props.data.attract_threshold);
    }

    tooltip(point) {
        return _t(
            "%(name)s — attractiveness %(attract)s, our position %(position)s, invoiced (12 months) %(invoiced)s",
            {
                name: point.name,
                attract: point.attract,
                position: point.position,
                invoiced: formatMonetary(point.invoiced, {currencyId: false}),
            }
        );
    }

    onHover(point) {
        this.state.hovered = point;
    }
}

/** The view's controller: loads the points within the search's domain, reloads on search. */
export class KaMatrixController extends Component {
    static template = "sale_governance.KaMatrixView";
    static components = {Layout, KaMatrixRenderer, SearchBar, CogMenu};
    static props = {...standardViewProps};

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.searchBarToggler = useSearchBarToggler();
        this.state = useState({data: null});
        onWillStart(() => this.load(this.props));
        onWillUpdateProps((nextProps) => this.load(nextProps));
    }

    async load({domain, context}) {
        this.state.data = await this.orm.call("res.partner", "ka_matrix_data", [], {
            domain,
            context,
        });
    }

    openRecord(point) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: point.id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

export const kaMatrixView = {
    type: "ka_matrix",
    display_name: _t("KA Matrix"),
    icon: "fa fa-th-large",
    multiRecord: true,
    Controller: KaMatrixController,
    searchMenuTypes: ["filter", "groupBy", "favorite"],
};

registry.category("views").add("ka_matrix", kaMatrixView);
