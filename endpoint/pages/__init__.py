"""Pages for people: the routes, their data functions, templates, maps and the API docs.

:mod:`~endpoint.pages.views` gathers each page's data in SPARQL through the
store; :mod:`~endpoint.pages.routes` answers home, search, query, prefecture
and country pages; :mod:`~endpoint.pages.render` fills the Jinja2 templates of
``templates/`` (links from :mod:`~endpoint.pages.urls`, maps from
:mod:`~endpoint.pages.svgmap`); :mod:`~endpoint.pages.docs` serves the API docs
without a CDN.
"""
