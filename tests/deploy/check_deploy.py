#!/usr/bin/env python3
"""What can be checked of docker/ without a Docker engine (none runs on our machines):

- docker/compose.yaml parses, and every path it names (build context, Dockerfile, bind mounts,
  the scripts its commands run) exists;
- every CONFORMANCE_PROXY_* variable that compose.yaml or the Dockerfile sets is a documented
  key (docs/configuration.md) and the binary itself accepts it, value included;
- the Dockerfile's build stage runs the same scripts as CI (scripts/install-deps.sh,
  scripts/build-release.sh, whose binary CI runs the integration tests against), its runtime
  stage installs a Debian package for every shared library the binary links against, runs as
  a non-root user, exposes the ports it configures, and checks health on the admin /healthz;
- .dockerignore keeps build trees out of the context;
- the stack's three programs (sample API, proxy, test runner) run natively on loopback with the
  compose environment: the runner and the proxy both fail on the sample API's RFC bug, and both
  pass with SAMPLE_API_FIXED=1;
- docker/compose.replicas.yaml (two proxy replicas) run natively: `report merge` of the two
  replicas' reports is their exact sum;
- deploy/k8s/*.yaml parse; each conformance-proxy container's configuration (its ConfigMap, the
  files of its Secrets) is accepted by the binary, and images, ports, probes, Prometheus
  annotations and Services agree with it;
- the script in docs/ci.md runs as written against the demo: the first run makes the baseline,
  the second fails naming only the new finding, the merged report of two replicas adds up.

  tests/deploy/check_deploy.py --binary build/conformance-proxy   (ctest runs it as deploy_tests)
"""
import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("check_deploy.py needs PyYAML: apt-get install python3-yaml (scripts/install-deps.sh --with-tests)")

SOURCE = Path(__file__).resolve().parents[2]
DOCKER = SOURCE / "docker"
BINARY = None  # set from --binary
BASE_IMAGE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6"}  # already in debian:bookworm-slim


def compose():
    with open(DOCKER / "compose.yaml") as f:
        return yaml.safe_load(f)


def interpolate(value, env=None):
    """Compose's ${VAR:-default} and ${VAR} (enough for this file)."""
    env = os.environ if env is None else env

    def substitute(match):
        name, default = match.group(1), match.group(3) or ""
        return env.get(name) or default

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}", substitute, str(value))


def environment_of(service):
    env = service.get("environment", {}) or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {name: interpolate(value) for name, value in env.items()}


def dockerfile():
    """(stages: list of dicts with 'from', 'lines'), with continuation lines joined."""
    text = (DOCKER / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    stages = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, rest = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            stages.append({"from": rest.split()[0], "as": rest.split()[-1] if " AS " in rest.upper() else None,
                           "lines": []})
        elif stages:
            stages[-1]["lines"].append((instruction, rest.strip()))
    return stages


def dockerfile_env(stage):
    env = {}
    for instruction, rest in stage["lines"]:
        if instruction == "ENV":
            for item in shlex.split(rest):
                name, _, value = item.partition("=")
                env[name] = value
    return env


def documented_variables():
    docs = (SOURCE / "docs" / "configuration.md").read_text()
    return set(re.findall(r"\| `(CONFORMANCE_PROXY_[A-Z0-9_]+)` \|", docs))


def run(argv, env=None, timeout=30):
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)


class ComposeFile(unittest.TestCase):
    def test_parses_with_the_three_services(self):
        stack = compose()
        self.assertEqual(set(stack["services"]), {"api", "proxy", "tests"})
        self.assertIn("reports", stack.get("volumes", {}))

    def test_every_path_it_names_exists(self):
        stack = compose()
        checked = 0
        for name, service in stack["services"].items():
            build = service.get("build")
            if build:
                context = (DOCKER / build["context"]).resolve()
                self.assertTrue(context.is_dir(), f"{name}: build context {context}")
                self.assertTrue((context / build["dockerfile"]).is_file(), f"{name}: {build['dockerfile']}")
                checked += 2
            mounts = {}
            for volume in service.get("volumes", []) or []:
                source, target = volume.split(":")[:2]
                if source.startswith("."):
                    path = (DOCKER / source).resolve()
                    self.assertTrue(path.exists(), f"{name}: bind mount source {source}")
                    mounts[target] = path
                    checked += 1
                else:
                    self.assertIn(source, stack.get("volumes", {}), f"{name}: named volume {source} is declared")
            # A command that runs a file from a bind mount: that file exists here.
            for word in service.get("command", []) or []:
                for target, path in mounts.items():
                    if str(word).startswith(target + "/"):
                        script = path / str(word)[len(target) + 1:]
                        self.assertTrue(script.is_file(), f"{name}: command names {word} -> {script}")
                        checked += 1
            for dependency in (service.get("depends_on") or {}):
                self.assertIn(dependency, stack["services"], f"{name} depends on an unknown service")
        self.assertGreaterEqual(checked, 6)

    def test_runner_and_api_scripts_compile(self):
        for script in ["sample-api/app.py", "test-runner/run_tests.py"]:
            result = run([sys.executable, "-m", "py_compile", str(DOCKER / script)])
            self.assertEqual(result.returncode, 0, result.stderr)

    def test_proxy_settings_are_known_config_keys_the_binary_accepts(self):
        stack = compose()
        variables = dict(dockerfile_env(dockerfile()[-1]))
        variables.update(environment_of(stack["services"]["proxy"]))
        ours = {k: v for k, v in variables.items() if k.startswith("CONFORMANCE_PROXY_")}
        self.assertIn("CONFORMANCE_PROXY_UPSTREAM", ours)
        self.assertEqual(ours.get("CONFORMANCE_PROXY_FAIL_ON"), "error")
        self.assertIn(ours.get("CONFORMANCE_PROXY_MODE"), {"report", "enforce"})
        documented = documented_variables()
        for name in ours:
            self.assertIn(name, documented, f"{name} is not in docs/configuration.md")
        # The binary refuses an unknown CONFORMANCE_PROXY_* variable or a bad value with exit 2;
        # `rules` parses the whole configuration without opening a socket.
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_PROXY_")}
        env.update(ours)
        result = run([BINARY, "rules"], env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        # ... and would refuse a typo: the check above has teeth.
        env["CONFORMANCE_PROXY_UPSTREEM"] = "http://api:8000"
        self.assertEqual(run([BINARY, "rules"], env=env).returncode, 2)

    def test_runner_settings_match_the_proxy(self):
        stack = compose()
        proxy = environment_of(stack["services"]["proxy"])
        runner = environment_of(stack["services"]["tests"])
        admin_port = dockerfile_env(dockerfile()[-1])["CONFORMANCE_PROXY_ADMIN"].rsplit(":", 1)[1]
        listen_port = dockerfile_env(dockerfile()[-1])["CONFORMANCE_PROXY_LISTEN"].rsplit(":", 1)[1]
        self.assertEqual(runner["API_BASE_URL"], f"http://proxy:{listen_port}")
        self.assertEqual(runner["PROXY_ADMIN_URL"], f"http://proxy:{admin_port}")
        self.assertEqual(runner["FAIL_ON"], proxy["CONFORMANCE_PROXY_FAIL_ON"])
        api_port = environment_of(stack["services"]["api"])["PORT"]
        self.assertEqual(proxy["CONFORMANCE_PROXY_UPSTREAM"], f"http://api:{api_port}")
        for report in ["CONFORMANCE_PROXY_FINDINGS", "CONFORMANCE_PROXY_JUNIT", "CONFORMANCE_PROXY_HTML"]:
            self.assertTrue(proxy[report].startswith("/reports/"), f"{report} is written to the reports volume")
        self.assertIn("reports:/reports", stack["services"]["proxy"]["volumes"])


class DockerfileChecks(unittest.TestCase):
    def test_multi_stage_on_bookworm_slim(self):
        stages = dockerfile()
        self.assertEqual(len(stages), 2)
        for stage in stages:
            self.assertEqual(stage["from"], "debian:bookworm-slim")

    def test_build_stage_runs_the_scripts_the_tests_run(self):
        build = dockerfile()[0]
        runs = " && ".join(rest for instruction, rest in build["lines"] if instruction == "RUN")
        # CI (.ci/run) runs ./test.sh, then the integration tests against the release build.
        ci = (SOURCE / "test.sh").read_text() + (SOURCE / ".ci" / "run").read_text()
        for script in ["scripts/install-deps.sh", "scripts/build-release.sh"]:
            self.assertIn(script, runs, f"the image build runs {script}")
            self.assertIn(script, ci, f"CI runs {script}")
            self.assertTrue((SOURCE / script).is_file())
        self.assertIn("scripts/install-deps.sh --with-release", runs, "the release build trains with python3")
        self.assertIn("scripts/build-release.sh --test", ci, "CI runs the suites against the binary the image ships")
        copies = [rest for instruction, rest in build["lines"] if instruction == "COPY"]
        self.assertIn(". .", copies, "the whole source tree (minus .dockerignore) is built")

    def test_runtime_stage_is_non_root_with_ports_and_healthcheck(self):
        runtime = dockerfile()[-1]
        instructions = dict()
        for instruction, rest in runtime["lines"]:
            instructions.setdefault(instruction, []).append(rest)
        user = instructions["USER"][-1]
        self.assertNotIn(user, {"root", "0"})
        self.assertIn(f"useradd", " ".join(instructions["RUN"]))
        env = dockerfile_env(runtime)
        exposed = set(" ".join(instructions["EXPOSE"]).split())
        self.assertEqual(exposed, {env["CONFORMANCE_PROXY_LISTEN"].rsplit(":", 1)[1],
                                   env["CONFORMANCE_PROXY_ADMIN"].rsplit(":", 1)[1]})
        self.assertTrue(env["CONFORMANCE_PROXY_LISTEN"].startswith("0.0.0.0:"))
        health = instructions["HEALTHCHECK"][-1]
        admin_port = env["CONFORMANCE_PROXY_ADMIN"].rsplit(":", 1)[1]
        self.assertIn(f"127.0.0.1:{admin_port}/healthz", health)
        self.assertIn("--from=build /src/build-release/conformance-proxy", " ".join(instructions["COPY"]))

    def test_runtime_packages_cover_every_linked_library(self):
        runtime = dockerfile()[-1]
        runs = " ".join(rest for instruction, rest in runtime["lines"] if instruction == "RUN")
        install = re.search(r"apt-get install ([^&]*)", runs)
        self.assertIsNotNone(install)
        packages = {word for word in install.group(1).split() if not word.startswith("-")}
        self.assertIn("ca-certificates", packages, "https upstreams are verified against the system CA store")
        ldd = run(["ldd", BINARY])
        self.assertEqual(ldd.returncode, 0, ldd.stderr)
        linked = re.findall(r"=> (/\S+)", ldd.stdout)
        self.assertTrue(linked, ldd.stdout)

        def owners(paths):  # one dpkg -S for all of them (each call costs seconds)
            result = run(["dpkg", "-S"] + paths, timeout=120)
            found = {}
            for line in result.stdout.splitlines():
                package, _, path = line.partition(": ")
                found[path.strip()] = package.split(":")[0]
            return found

        real = {path: os.path.realpath(path) for path in linked}
        found = owners(sorted(set(real.values())))
        # Merged /usr: dpkg may know a library by the path it was linked as, not its real path.
        unowned = [path for path in linked if real[path] not in found]
        found.update(owners(unowned) if unowned else {})
        needed = set()
        for path in linked:
            package = found.get(real[path]) or found.get(path)
            self.assertIsNotNone(package, f"no Debian package owns {path}")
            needed.add(package)
        missing = needed - packages - BASE_IMAGE_PACKAGES
        self.assertFalse(missing, f"the runtime stage lacks {sorted(missing)} (from ldd {BINARY})")
        # Every name is a Debian package this machine's apt knows (bookworm, like the image).
        known = run(["apt-cache", "show", "--no-all-versions"] + sorted(packages), timeout=120)
        self.assertEqual(known.returncode, 0, f"apt does not know one of {sorted(packages)}: {known.stderr}")

    def test_dockerignore_keeps_build_trees_out(self):
        ignored = (SOURCE / ".dockerignore").read_text().split()
        for pattern in [".git", "build", "build-*"]:
            self.assertIn(pattern, ignored)

    def test_install_deps_offers_what_the_deploy_test_needs(self):
        self.assertIn("python3-yaml", (SOURCE / "scripts" / "install-deps.sh").read_text())


# ---- the stack, natively on loopback ----------------------------------------------------------

def wait_for_line(path, pattern, process, timeout=20):
    """The first match of `pattern` in the file, or fail after `timeout` or if the process ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(pattern, Path(path).read_text(errors="replace"))
        if match:
            return match
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"no {pattern!r} in {path}:\n{Path(path).read_text(errors='replace')}")


class NativeStack(unittest.TestCase):
    """api + proxy + tests as compose wires them, with loopback addresses instead of names."""

    def run_stack(self, fixed):
        stack = compose()
        work = Path(tempfile.mkdtemp(prefix="cproxy-deploy-"))
        children = []
        try:
            api_env = dict(os.environ)
            api_env.update(environment_of(stack["services"]["api"]))
            api_env.update({"HOST": "127.0.0.1", "PORT": "0", "SAMPLE_API_FIXED": "1" if fixed else "0"})
            api_log = work / "api.log"
            with open(api_log, "w") as log:
                api = subprocess.Popen([sys.executable, str(DOCKER / "sample-api" / "app.py")], env=api_env,
                                       stdout=subprocess.DEVNULL, stderr=log)
            children.append(api)
            api_port = wait_for_line(api_log, r"listening on 127\.0\.0\.1:(\d+)", api).group(1)

            proxy_env = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_PROXY_")}
            proxy_env.update(environment_of(stack["services"]["proxy"]))
            for name, value in list(proxy_env.items()):
                if name.startswith("CONFORMANCE_PROXY_") and value.startswith("/reports/"):
                    proxy_env[name] = str(work / value[len("/reports/"):])
            proxy_env.update({"CONFORMANCE_PROXY_UPSTREAM": f"http://127.0.0.1:{api_port}",
                              "CONFORMANCE_PROXY_LISTEN": "127.0.0.1:0",
                              "CONFORMANCE_PROXY_ADMIN": "127.0.0.1:0",
                              "CONFORMANCE_PROXY_THREADS": "2"})
            proxy_log = work / "proxy.log"
            with open(proxy_log, "w") as log:
                proxy = subprocess.Popen([BINARY], env=proxy_env, stdout=subprocess.DEVNULL, stderr=log)
            children.append(proxy)
            listen = wait_for_line(proxy_log, r"listening on http://127\.0\.0\.1:(\d+)", proxy).group(1)
            admin = wait_for_line(proxy_log, r"admin dashboard on http://127\.0\.0\.1:(\d+)", proxy).group(1)

            runner_env = dict(os.environ)
            runner_env.update(environment_of(stack["services"]["tests"]))
            runner_env.update({"API_BASE_URL": f"http://127.0.0.1:{listen}",
                               "PROXY_ADMIN_URL": f"http://127.0.0.1:{admin}", "WAIT_SECONDS": "20"})
            runner = run([sys.executable, str(DOCKER / "test-runner" / "run_tests.py")], env=runner_env, timeout=60)

            # What compose does when the runner exits: SIGTERM to the proxy.
            proxy.send_signal(signal.SIGTERM)
            proxy_status = proxy.wait(timeout=30)
            reports = {p.name: p.read_text(errors="replace") for p in work.iterdir() if p.suffix != ".log"}
            return runner, proxy_status, reports, proxy_log.read_text(errors="replace")
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                child.wait(timeout=10)
            subprocess.run(["rm", "-rf", str(work)])

    def test_the_rfc_bug_fails_the_runner_and_the_proxy(self):
        runner, proxy_status, reports, proxy_log = self.run_stack(fixed=False)
        detail = f"runner:\n{runner.stdout}{runner.stderr}\nproxy:\n{proxy_log}"
        self.assertEqual(runner.returncode, 1, detail)
        self.assertIn("405-missing-allow", runner.stdout, detail)
        self.assertIn("runner: ok   GET /api/items -> 200", runner.stdout, detail)
        self.assertEqual(proxy_status, 1, detail)  # --fail-on error: what --exit-code-from proxy returns
        self.assertIn("conformance-junit.xml", reports, detail)
        self.assertIn("conformance-report.html", reports, detail)
        self.assertIn("405-missing-allow", reports["conformance-junit.xml"])
        findings = [json.loads(line) for line in reports["findings.jsonl"].splitlines() if line.strip()]
        self.assertEqual({(f["rule"], f["method"], f["status"]) for f in findings if f["level"] == "error"},
                         {("405-missing-allow", "DELETE", 405)}, detail)

    def test_the_fixed_api_passes_both(self):
        runner, proxy_status, reports, proxy_log = self.run_stack(fixed=True)
        detail = f"runner:\n{runner.stdout}{runner.stderr}\nproxy:\n{proxy_log}"
        self.assertEqual(runner.returncode, 0, detail)
        self.assertIn("runner: passed", runner.stdout, detail)
        self.assertEqual(proxy_status, 0, detail)
        self.assertIn("conformance-junit.xml", reports, detail)



# ---- two replicas, one report ---------------------------------------------------------------

def compose_replicas():
    with open(DOCKER / "compose.replicas.yaml") as f:
        return yaml.safe_load(f)


def start_api(work, fixed=False):
    stack = compose()
    api_env = dict(os.environ)
    api_env.update(environment_of(stack["services"]["api"]))
    api_env.update({"HOST": "127.0.0.1", "PORT": "0", "SAMPLE_API_FIXED": "1" if fixed else "0"})
    api_log = work / "api.log"
    with open(api_log, "w") as log:
        api = subprocess.Popen([sys.executable, str(DOCKER / "sample-api" / "app.py")], env=api_env,
                               stdout=subprocess.DEVNULL, stderr=log)
    return api, wait_for_line(api_log, r"listening on 127\.0\.0\.1:(\d+)", api).group(1)


class ReplicasStack(unittest.TestCase):
    def test_compose_file_wires_two_replicas_and_a_merge(self):
        stack = compose_replicas()
        services = stack["services"]
        self.assertTrue({"api", "proxy-a", "proxy-b", "tests-a", "tests-b", "merge"} <= set(services))
        reports = set()
        for name in ["proxy-a", "proxy-b"]:
            env = environment_of(services[name])
            self.assertEqual(services[name]["image"], compose()["services"]["proxy"]["image"])
            self.assertIn("reports:/reports", services[name]["volumes"])
            for variable in env:
                self.assertIn(variable, documented_variables(), f"{name}: {variable} is not documented")
            reports.add(env["CONFORMANCE_PROXY_REPORT_JSON"])
        self.assertEqual(len(reports), 2, "each replica writes its own report")
        merge = services["merge"]["command"]
        self.assertEqual(merge[:2], ["report", "merge"])
        self.assertEqual(set(merge[2:4]), reports)
        for suffix in ["a", "b"]:
            runner = environment_of(services[f"tests-{suffix}"])
            self.assertEqual(runner["API_BASE_URL"], f"http://proxy-{suffix}:8080")

    def test_native_run_merged_report_is_the_sum(self):
        services = compose_replicas()["services"]
        work = Path(tempfile.mkdtemp(prefix="cproxy-replicas-"))
        children = []
        try:
            api, api_port = start_api(work)
            children.append(api)
            proxies = []
            for name in ["proxy-a", "proxy-b"]:
                env = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_PROXY_")}
                env.update(environment_of(services[name]))
                env["CONFORMANCE_PROXY_REPORT_JSON"] = str(work / Path(env["CONFORMANCE_PROXY_REPORT_JSON"]).name)
                env.update({"CONFORMANCE_PROXY_UPSTREAM": f"http://127.0.0.1:{api_port}",
                            "CONFORMANCE_PROXY_LISTEN": "127.0.0.1:0", "CONFORMANCE_PROXY_ADMIN": "127.0.0.1:0",
                            "CONFORMANCE_PROXY_THREADS": "2"})
                log_path = work / f"{name}.log"
                with open(log_path, "w") as log:
                    proxy = subprocess.Popen([BINARY], env=env, stdout=subprocess.DEVNULL, stderr=log)
                children.append(proxy)
                listen = wait_for_line(log_path, r"listening on http://127\.0\.0\.1:(\d+)", proxy).group(1)
                admin = wait_for_line(log_path, r"admin dashboard on http://127\.0\.0\.1:(\d+)", proxy).group(1)
                proxies.append((proxy, listen, admin))
            for proxy, listen, admin in proxies:
                runner_env = dict(os.environ)
                runner_env.update({"API_BASE_URL": f"http://127.0.0.1:{listen}",
                                   "PROXY_ADMIN_URL": f"http://127.0.0.1:{admin}", "FAIL_ON": "never",
                                   "WAIT_SECONDS": "20"})
                run([sys.executable, str(DOCKER / "test-runner" / "run_tests.py")], env=runner_env, timeout=60)
            for proxy, _, _ in proxies:
                proxy.send_signal(signal.SIGTERM)
                self.assertEqual(proxy.wait(timeout=30), 0)
            a = json.loads((work / "replica-a.json").read_text())
            b = json.loads((work / "replica-b.json").read_text())
            command = [str(work / Path(arg).name) if arg.startswith("/reports/") else arg
                       for arg in services["merge"]["command"]]
            merged_run = run([BINARY] + command, timeout=60)
            self.assertEqual(merged_run.returncode, 1, merged_run.stderr)  # the sample API's 405: --fail-on error
            merged = json.loads((work / "merged.json").read_text())
            self.assertGreater(a["exchanges"], 0)
            for key in ["exchanges", "exchanges_with_findings", "findings_total", "response_bytes"]:
                self.assertEqual(merged[key], a[key] + b[key], key)
            for level in ["error", "warning", "info"]:
                self.assertEqual(merged["findings"][level], a["findings"][level] + b["findings"][level])
            for cls in merged["status_classes"]:
                self.assertEqual(merged["status_classes"][cls], a["status_classes"][cls] + b["status_classes"][cls])
            rule_counts = lambda report: {r["id"]: r["count"] for r in report["rules"]}
            ra, rb, rm = rule_counts(a), rule_counts(b), rule_counts(merged)
            self.assertEqual(rm, {rule: ra.get(rule, 0) + rb.get(rule, 0) for rule in set(ra) | set(rb)})
            self.assertIn("405-missing-allow", rm)
            self.assertEqual(sum(r["exchanges"] for r in merged["routes"]), merged["exchanges"])
            self.assertEqual(len({r["route"] for r in merged["routes"]}), len(merged["routes"]))
            self.assertEqual(merged["latency"]["count"], a["latency"]["count"] + b["latency"]["count"])
            self.assertTrue((work / "merged.html").stat().st_size > 0)
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                child.wait(timeout=10)
            subprocess.run(["rm", "-rf", str(work)])


# ---- Kubernetes -----------------------------------------------------------------------------

K8S = SOURCE / "deploy" / "k8s"


def manifests():
    """[(file name, document)] for every YAML document under deploy/k8s."""
    out = []
    for path in sorted(K8S.glob("*.yaml")):
        with open(path) as f:
            out.extend((path.name, doc) for doc in yaml.safe_load_all(f) if doc)
    return out


def container_port(container, name_or_number):
    if isinstance(name_or_number, int):
        return name_or_number
    for port in container.get("ports", []):
        if port.get("name") == name_or_number:
            return port["containerPort"]
    raise AssertionError(f"container {container['name']} has no port named {name_or_number}")


class KubernetesManifests(unittest.TestCase):
    def test_every_manifest_parses_with_known_kinds(self):
        docs = manifests()
        self.assertTrue({"sidecar.yaml", "standalone.yaml"} <= {name for name, _ in docs})
        for name, doc in docs:
            self.assertIn(doc.get("kind"), {"ConfigMap", "Secret", "Deployment", "Service"}, name)
            self.assertIn("apiVersion", doc, name)
            self.assertIn("name", doc.get("metadata", {}), name)

    def proxy_containers(self):
        docs = manifests()
        found = []
        for file_name, doc in docs:
            if doc["kind"] != "Deployment":
                continue
            pod = doc["spec"]["template"]
            for container in pod["spec"]["containers"]:
                if container["image"].split(":")[0].endswith("conformance-proxy"):
                    found.append((file_name, doc, pod, container))
        return docs, found

    def test_proxy_config_is_accepted_and_agrees_with_ports_probes_and_annotations(self):
        docs, found = self.proxy_containers()
        self.assertEqual({name for name, *_ in found}, {"sidecar.yaml", "standalone.yaml"})
        by_kind_name = {(doc["kind"], doc["metadata"]["name"]): doc for _, doc in docs}
        compose_image = compose()["services"]["proxy"]["image"]
        uid = re.search(r"useradd[^&]*--uid (\d+)", (DOCKER / "Dockerfile").read_text()).group(1)
        for file_name, deployment, pod, container in found:
            with self.subTest(file=file_name):
                self.assertEqual(container["image"], compose_image)
                self.assertEqual(str(container["securityContext"]["runAsUser"]), uid)
                args = container["args"]
                self.assertEqual(args[0], "--config")
                volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
                work = Path(tempfile.mkdtemp(prefix="cproxy-k8s-"))
                try:
                    # Every mounted ConfigMap and Secret, written where the container would see it
                    # (under work/), so the binary reads exactly these files.
                    for mount in container.get("volumeMounts", []):
                        volume = volumes[mount["name"]]
                        if "configMap" in volume:
                            data = by_kind_name[("ConfigMap", volume["configMap"]["name"])]["data"]
                        else:
                            data = by_kind_name[("Secret", volume["secret"]["secretName"])]["stringData"]
                        target = work / mount["mountPath"].lstrip("/")
                        if "subPath" in mount:
                            target.parent.mkdir(parents=True, exist_ok=True)
                            target.write_text(data[mount["subPath"]])
                        else:
                            target.mkdir(parents=True, exist_ok=True)
                            for key, value in data.items():
                                (target / key).write_text(value)
                    config_path = work / args[1].lstrip("/")
                    config_text = config_path.read_text()
                    config_path.write_text(re.sub(r"(htpasswd: )/", rf"\g<1>{work}/", config_text))
                    config = yaml.safe_load(config_text)
                    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_PROXY_")}
                    result = run([BINARY, "--config", str(config_path)] + args[2:] + ["rules"], env=env)
                    self.assertEqual(result.returncode, 0, result.stderr)
                finally:
                    subprocess.run(["rm", "-rf", str(work)])
                listen_port = int(config["listen"].rsplit(":", 1)[1])
                admin_port = int(config["admin"].rsplit(":", 1)[1])
                self.assertTrue(config["listen"].startswith("0.0.0.0:"), "reachable from other Pods")
                self.assertEqual(container_port(container, "http"), listen_port)
                self.assertEqual(container_port(container, "admin"), admin_port)
                for probe in ["readinessProbe", "livenessProbe"]:
                    get = container[probe]["httpGet"]
                    self.assertEqual(get["path"], "/healthz")
                    self.assertEqual(container_port(container, get["port"]), admin_port)
                annotations = pod["metadata"]["annotations"]
                self.assertEqual(annotations["prometheus.io/scrape"], "true")
                self.assertEqual(int(annotations["prometheus.io/port"]), admin_port)
                self.assertEqual(annotations["prometheus.io/path"], "/metrics")
                self.assertEqual(deployment["spec"]["selector"]["matchLabels"].items() - pod["metadata"]["labels"].items(),
                                 set())
                # The Service of these Pods sends traffic to the proxy, never straight to the app.
                services = [doc for _, doc in docs if doc["kind"] == "Service" and
                            doc["spec"]["selector"].items() <= pod["metadata"]["labels"].items()]
                self.assertEqual(len(services), 1)
                for port in services[0]["spec"]["ports"]:
                    self.assertEqual(container_port(container, port["targetPort"]), listen_port)
                if file_name == "sidecar.yaml":
                    self.assertEqual(len(pod["spec"]["containers"]), 2)
                    app = next(c for c in pod["spec"]["containers"] if c is not container)
                    upstream_port = int(config["upstream"].rsplit(":", 1)[1])
                    self.assertIn("127.0.0.1", config["upstream"])
                    self.assertEqual(container_port(app, "app"), upstream_port)
                    self.assertIn("htpasswd", config["auth"])
                else:
                    self.assertGreaterEqual(deployment["spec"]["replicas"], 2)

    def test_readme_points_at_the_manifests(self):
        readme = (SOURCE / "README.md").read_text()
        self.assertIn("deploy/k8s/", readme)
        self.assertIn("docs/ci.md", readme)


# ---- docs/ci.md, as written ------------------------------------------------------------------

def free_port_block(count=3):
    """A base port with base..base+count-1 free on loopback."""
    import socket
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count > 65535:
            continue
        ok = True
        for port in range(base, base + count):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
        if ok:
            return base
    raise AssertionError("no block of free loopback ports")


class CiDocExample(unittest.TestCase):
    def script(self):
        text = (SOURCE / "docs" / "ci.md").read_text()
        section = text[text.index("## Try it against the demo"):]
        return re.search(r"```sh\n(.*?)```", section, re.S).group(1)

    def test_workflow_examples_are_valid_yaml(self):
        text = (SOURCE / "docs" / "ci.md").read_text()
        blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
        self.assertGreaterEqual(len(blocks), 2)
        for block in blocks:
            self.assertIsInstance(yaml.safe_load(block), dict)

    def test_the_script_runs_as_written_against_the_demo(self):
        work = Path(tempfile.mkdtemp(prefix="cproxy-ci-doc-"))
        try:
            script = work / "ci.sh"
            script.write_text(self.script())
            env = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_PROXY_")}
            port = free_port_block()
            env.update({"CP": str(Path(BINARY).resolve()), "PORT": str(port), "OUT": str(work / "ci-demo")})
            result = subprocess.run(["bash", str(script)], cwd=work, env=env, capture_output=True, text=True,
                                    timeout=120)
            out = work / "ci-demo"
            logs = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')}" for p in sorted(out.glob("*.log")))
            detail = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}\n{logs}"
            self.assertEqual(result.returncode, 1, detail)  # the pull-request run's status
            self.assertIn("pull request run: exit status 1", result.stdout, detail)
            baseline = json.loads((out / "baseline.json").read_text())
            self.assertEqual([(f["rule"], f["method"], f["route"]) for f in baseline["findings"]],
                             [("401-missing-www-authenticate", "GET", "/admin"),
                              ("405-missing-allow", "DELETE", "/api/items/{id}")], detail)
            log = (out / f"proxy-{port}.log").read_text()
            pr_summary = log[log.rindex("conformance-proxy summary"):]
            self.assertIn("  baseline   1 new, 2 known, 0 fixed", pr_summary, detail)
            verdict = [line for line in pr_summary.splitlines() if "exit status" in line]
            self.assertEqual(len(verdict), 1, detail)
            self.assertIn("etag-syntax on GET /api/profile; 2 known", verdict[0])
            self.assertNotIn("405-missing-allow", verdict[0])
            self.assertIn("silenced   1 (405-missing-allow 1)", pr_summary, detail)
            annotations = [line for line in (out / "annotations.txt").read_text().splitlines() if line.startswith("::")]
            self.assertEqual(len(annotations), 1, annotations)
            self.assertTrue(annotations[0].startswith("::error title=etag-syntax (new)::GET /api/profile -> 200"))
            self.assertIn("etag-syntax", (out / "pr-comment.md").read_text())
            self.assertIn("etag-syntax", (out / "junit.xml").read_text())
            a = json.loads((out / "replica-a.json").read_text())
            b = json.loads((out / "replica-b.json").read_text())
            merged = json.loads((out / "merged.json").read_text())
            for key in ["exchanges", "findings_total"]:
                self.assertEqual(merged[key], a[key] + b[key], key)
            self.assertEqual({r["id"]: r["count"] for r in merged["rules"]}.get("etag-syntax"), 1)
        finally:
            subprocess.run(["rm", "-rf", str(work)])


def main():
    global BINARY
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.environ.get("CPROXY_BINARY", str(SOURCE / "build" / "conformance-proxy")))
    args, rest = parser.parse_known_args()
    BINARY = args.binary
    if not os.access(BINARY, os.X_OK):
        sys.exit(f"check_deploy.py: no conformance-proxy binary at {BINARY} (pass --binary)")
    unittest.main(argv=[sys.argv[0], "-v"] + rest)


if __name__ == "__main__":
    main()
