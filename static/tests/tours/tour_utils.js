/** @odoo-module **/
// Steps shared by the addon's browser tours (static/tests/tours/*.js).

/** Click a header button of the form and wait until the form no longer shows it. */
export function headerButton(name, content) {
    return [
        {
            content,
            trigger: `.o_form_view .o_statusbar_buttons button[name=${name}]`,
            run: "click",
        },
        {
            content: "Done: the button is gone",
            trigger: `.o_form_view:not(:has(button[name=${name}])) .o_statusbar_status`,
        },
    ];
}
