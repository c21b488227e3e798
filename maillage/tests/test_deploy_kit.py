"""The deployment kit (deploy/): the Compose file and the systemd units, read as Docker Compose
and systemd would read them (neither runs here), the Dockerfile, the lock files."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def compose() -> dict:
    yaml = pytest.importorskip("yaml")  # PyYAML: the dev extra, in requirements/test.txt
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def unit(name: str) -> configparser.ConfigParser:
    # systemd's syntax is INI's, with repeated keys (ExecStartPre): kept, not refused.
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def test_compose_has_every_service_of_a_production(compose):
    assert set(compose["services"]) == {
        "db",
        "redis",
        "migrate",
        "web",
        "worker",
        "scheduler",
        "proxy",
    }
    services = compose["services"]
    assert services["web"]["command"][:1] == ["gunicorn"]
    assert services["worker"]["command"][2] == "worker"
    assert services["scheduler"]["command"][2] == "scheduler"
    assert services["db"]["image"].startswith("postgres:")
    assert services["proxy"]["image"].startswith("caddy:")
    # The fragments every web process shares (core.fragments), on a cache that keeps no disk.
    assert services["redis"]["image"].startswith("redis:")
    assert "allkeys-lru" in services["redis"]["command"]
    fragments = services["web"]["environment"]["MAILLAGE_FRAGMENT_CACHE"]
    assert fragments.startswith("redis://redis:6379/")


def test_every_long_running_service_has_a_healthcheck_and_a_restart_policy(compose):
    for name, service in compose["services"].items():
        if name == "migrate":
            assert service["restart"] == "no"
            continue
        assert service["healthcheck"]["test"], name
        assert service["restart"] == "unless-stopped", name
    web_check = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "/healthz/web" in web_check  # a worker's restart never takes the web out
    assert compose["services"]["worker"]["healthcheck"]["test"][-1] == "health"


def test_data_lives_in_named_volumes(compose):
    services = compose["services"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    for name in ("web", "worker", "scheduler"):
        assert "uploads:/data/uploads" in services[name]["volumes"], name
    assert "static:/srv/static:ro" in services["proxy"]["volumes"]
    assert "static:/srv/static" in services["migrate"]["volumes"]
    assert set(compose["volumes"]) >= {"pgdata", "uploads", "static", "caddy_data"}


def test_the_app_waits_for_the_database_and_its_migrations(compose):
    for name in ("web", "worker", "scheduler"):
        depends = compose["services"][name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_every_variable_compose_needs_is_in_the_env_example(compose):
    example = (DEPLOY / ".env.example").read_text()
    defined = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.M))
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (DEPLOY / "compose.yaml").read_text()))
    assert used and used <= defined
    environment = compose["services"]["web"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["MAILLAGE_PROXY_COUNT"] == "1"
    for service in ("web", "worker", "scheduler", "migrate"):
        assert compose["services"][service]["env_file"] == ".env"
    # Every setting the example names is one Maillage reads.
    settings_text = (ROOT / "maillage" / "settings.py").read_text() + (
        DEPLOY / "gunicorn.conf.py"
    ).read_text()
    for name in defined - {"POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD", "MAILLAGE_DOMAIN"}:
        assert f'"{name}"' in settings_text or f'"{name.rsplit("_", 1)[0]}' in settings_text, name


def test_the_caddyfile_serves_static_files_and_passes_a_request_id():
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert "root * /srv/static" in caddyfile and "file_server" in caddyfile
    assert "reverse_proxy web:8000" in caddyfile
    assert "header_up X-Request-ID" in caddyfile


def test_the_dockerfile_installs_from_the_lock_with_weasyprints_libraries():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.11-slim-bookworm" in dockerfile
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"):
        assert package in dockerfile
    assert "--require-hashes -r requirements/server.txt" in dockerfile
    assert "USER maillage" in dockerfile


@pytest.mark.parametrize(
    "name",
    ["maillage-web.service", "maillage-worker.service", "maillage-scheduler.service"],
)
def test_each_systemd_unit_runs_maillage_as_its_own_user_with_the_settings_file(name):
    parser = unit(name)
    service = parser["Service"]
    assert service["User"] == "maillage"
    assert service["WorkingDirectory"] == "/srv/maillage"
    assert service["EnvironmentFile"] == "/etc/maillage/maillage.env"
    assert service["ExecStart"].startswith("/srv/maillage/.venv/bin/")
    assert service["ProtectSystem"] == "strict"
    assert "postgresql.service" in parser["Unit"]["After"]


def test_the_units_run_gunicorn_the_worker_and_the_scheduler_on_a_timer():
    web, worker = unit("maillage-web.service"), unit("maillage-worker.service")
    assert "gunicorn -c deploy/gunicorn.conf.py maillage.wsgi" in web["Service"]["ExecStart"]
    assert web["Install"]["WantedBy"] == "multi-user.target"
    assert "redis-server.service" in web["Unit"]["Wants"]  # the shared fragments, where installed
    assert worker["Service"]["ExecStart"].endswith("manage.py worker --interval 2")
    assert worker["Service"]["Restart"] == "always"
    scheduler = unit("maillage-scheduler.service")
    assert scheduler["Service"]["Type"] == "oneshot"
    assert scheduler["Service"]["ExecStart"].endswith("manage.py scheduler --once")
    timer = unit("maillage-scheduler.timer")
    assert timer["Timer"]["Unit"] == "maillage-scheduler.service"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"


LOCKS = ["run", "test", "server", "build"]


@pytest.mark.parametrize("name", LOCKS)
def test_every_lock_pins_every_package_with_its_hashes(name):
    text = (ROOT / "requirements" / f"{name}.txt").read_text()
    entries = re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2].strip())
    assert entries
    for entry in entries:
        first = entry.splitlines()[0]
        assert re.match(r"^[a-z0-9._-]+(\[[a-z0-9,_-]+\])?==\S+ \\$", first), first
        assert "--hash=sha256:" in entry, first


def test_the_scripts_install_from_the_locks():
    venv = (ROOT / "scripts" / "venv.sh").read_text()
    assert '--require-hashes -r "$lock"' in venv
    assert ". scripts/venv.sh run" in (ROOT / "run").read_text()
    assert ". scripts/venv.sh test" in (ROOT / "test").read_text()


def test_the_test_lock_holds_the_run_lock_at_the_same_versions():
    def pins(name: str) -> dict[str, str]:
        text = (ROOT / "requirements" / f"{name}.txt").read_text()
        return dict(re.findall(r"^([a-z0-9._-]+)==(\S+)", text, re.M))

    test = pins("test")
    for name in ("run", "server"):
        for package, version in pins(name).items():
            assert test.get(package) == version, (name, package)


def test_each_worker_freezes_what_it_was_started_with():
    """gunicorn's post_worker_init moves the loaded objects out of the collector's walks."""
    import gc
    import runpy

    hooks = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    try:
        hooks["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000  # Django and the apps, loaded by this test run
    finally:
        gc.unfreeze()
