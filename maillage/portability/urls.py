from __future__ import annotations

app_name = "portability"
urlpatterns: list = []
