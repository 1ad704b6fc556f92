{% include "templates/includes/sfh_portal_form.js" %}
