"""Render: site model -> vendor-neutral render plan -> per-vendor Jinja2 templates."""
