"""``/personakit/``: the product's paths (``settings.LUCID_PRODUCT_APIS``)."""

from personakit.compat import mapping, observing

app_name = "personakit-product"

urlpatterns = [*observing.urlpatterns, *mapping.urlpatterns]
