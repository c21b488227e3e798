"""The ceiling's client: CEILING_PATH again and again, no think time (bench/load/ceiling.sh)."""

import os

from locust import task
from locust.contrib.fasthttp import FastHttpUser

PATH = os.environ.get("CEILING_PATH", "/ceiling/bare/")


class Hammer(FastHttpUser):
    @task
    def hit(self) -> None:
        self.client.get(PATH, name=PATH)
