{% include "templates/includes/sfh_application_form.js" %}
