from __future__ import annotations

app_name = "selection"
urlpatterns: list = []
