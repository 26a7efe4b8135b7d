# Services the tests need, installed and started when missing. Sourced by test.sh.

pg_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Starts a throwaway PostgreSQL cluster on a free loopback port and exports PITWALL_TEST_POSTGRES,
# unless PITWALL_TEST_POSTGRES already points at a server.
ensure_postgres() {
  if [ -n "${PITWALL_TEST_POSTGRES:-}" ]; then
    echo "Using PostgreSQL from PITWALL_TEST_POSTGRES"
    return
  fi
  if [ -z "$(pg_bindir)" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "Installing PostgreSQL (Debian package postgresql)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      echo "PostgreSQL is not installed and this is not root: install 'postgresql' or set PITWALL_TEST_POSTGRES." >&2
      return 1
    fi
  fi
  local bin run_as=()
  bin=$(pg_bindir)
  PG_TEST_DIR=$(mktemp -d /tmp/pitwall-test-pg.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root.
    id postgres >/dev/null 2>&1 || useradd --system --home "$PG_TEST_DIR" postgres
    chown postgres "$PG_TEST_DIR"
    run_as=(runuser -u postgres --)
  fi
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
  "${run_as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
  # Durability is pointless for a throwaway cluster; speed is not.
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w -t 60 start \
    -o "-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" >/dev/null
  PG_TEST_CTL=("${run_as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data")
  export PITWALL_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "Started PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
  if [ -n "${PG_TEST_DIR:-}" ]; then
    "${PG_TEST_CTL[@]}" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}

# Debian's Chromium for the portal's browser tests (Playwright drives it; it never downloads a browser of its own).
# Exports PITWALL_TEST_CHROMIUM; the browser tests fail without it.
ensure_chromium() {
  local chromium=${PITWALL_TEST_CHROMIUM:-/usr/bin/chromium}
  if [ ! -x "$chromium" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "Installing Chromium (Debian package chromium)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "Chromium is not installed and this is not root: install 'chromium' or set PITWALL_TEST_CHROMIUM." >&2
      return 1
    fi
  fi
  export PITWALL_TEST_CHROMIUM="$chromium"
  echo "Using $("$chromium" --version 2>/dev/null | head -n 1)"
}

# Debian's python3-aiosmtpd: the e-mail channel's tests run a real SMTP server with it (and Python checks webhook
# signatures). Exports PITWALL_TEST_PYTHON, the interpreter it belongs to; the tests fail without it.
ensure_aiosmtpd() {
  local python=${PITWALL_TEST_PYTHON:-/usr/bin/python3}
  if ! "$python" -c 'import aiosmtpd' >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "Installing aiosmtpd (Debian package python3-aiosmtpd)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd >/dev/null
      python=/usr/bin/python3
    else
      echo "aiosmtpd is not installed and this is not root: install 'python3-aiosmtpd' or set PITWALL_TEST_PYTHON." >&2
      return 1
    fi
  fi
  export PITWALL_TEST_PYTHON="$python"
  echo "Using aiosmtpd $("$python" -c 'import aiosmtpd; print(aiosmtpd.__version__)') with $python"
}

# Debian's swupdate (2022.12, suricatta with the hawkBit module): the real DDI client of the software-update tests. Exports
# PITWALL_TEST_SWUPDATE; those tests fail without it. Installing the package starts no daemon here; the tests start and stop
# their own swupdate processes.
ensure_swupdate() {
  local swupdate=${PITWALL_TEST_SWUPDATE:-/usr/bin/swupdate}
  if [ ! -x "$swupdate" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "Installing swupdate (Debian package swupdate)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq swupdate >/dev/null
      swupdate=/usr/bin/swupdate
    else
      echo "swupdate is not installed and this is not root: install 'swupdate' or set PITWALL_TEST_SWUPDATE." >&2
      return 1
    fi
  fi
  export PITWALL_TEST_SWUPDATE="$swupdate"
  echo "Using swupdate $(dpkg-query -W -f '${Version}' swupdate 2>/dev/null || echo "at $swupdate")"
}

# Debian's nats-server: the scale-out tests run one (several instances route cars' messages through it) and stop and restart
# it themselves. Exports PITWALL_TEST_NATS_SERVER; those tests fail without it. Installing the package starts no daemon here.
ensure_nats() {
  local nats=${PITWALL_TEST_NATS_SERVER:-/usr/sbin/nats-server}
  if [ ! -x "$nats" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "Installing nats-server (Debian package nats-server)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
      nats=/usr/sbin/nats-server
    else
      echo "nats-server is not installed and this is not root: install 'nats-server' or set PITWALL_TEST_NATS_SERVER." >&2
      return 1
    fi
  fi
  export PITWALL_TEST_NATS_SERVER="$nats"
  echo "Using nats-server $("$nats" --version 2>/dev/null | awk '{print $NF}')"
}

# Debian's haproxy: the load balancer in front of the scale-out tests' three `pitwall serve` processes (API and car
# WebSockets), run with the shipped deploy/haproxy/pitwall.cfg. Exports PITWALL_TEST_HAPROXY; those tests fail without it.
# Installing the package starts no daemon here; the tests start and stop their own haproxy.
ensure_haproxy() {
  local haproxy=${PITWALL_TEST_HAPROXY:-/usr/sbin/haproxy}
  if [ ! -x "$haproxy" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "Installing haproxy (Debian package haproxy)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
      haproxy=/usr/sbin/haproxy
    else
      echo "haproxy is not installed and this is not root: install 'haproxy' or set PITWALL_TEST_HAPROXY." >&2
      return 1
    fi
  fi
  export PITWALL_TEST_HAPROXY="$haproxy"
  echo "Using haproxy $("$haproxy" -v 2>/dev/null | head -n 1 | awk '{print $3}')"
}

# Debian's nginx: the front that serves software-update artifacts after Pitwall authorised the download (X-Accel-Redirect),
# run with the shipped deploy/nginx/pitwall-updates.conf. Exports PITWALL_TEST_NGINX; those tests fail without it.
# Installing the package may start Debian's default site on port 80; the tests start and stop their own nginx.
ensure_nginx() {
  local nginx=${PITWALL_TEST_NGINX:-/usr/sbin/nginx}
  if [ ! -x "$nginx" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "Installing nginx (Debian package nginx)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
      nginx=/usr/sbin/nginx
    else
      echo "nginx is not installed and this is not root: install 'nginx' or set PITWALL_TEST_NGINX." >&2
      return 1
    fi
  fi
  export PITWALL_TEST_NGINX="$nginx"
  echo "Using nginx $("$nginx" -v 2>&1 | sed 's|.*nginx/||')"
}

# Debian's osmium-tool and tilemaker: the map tests build the map regions with them (pitwall admin maps-build) and check the
# increments with osmium. Exports PITWALL_OSMIUM and PITWALL_TILEMAKER; those tests fail without them.
ensure_maptools() {
  local osmium=${PITWALL_OSMIUM:-/usr/bin/osmium} tilemaker=${PITWALL_TILEMAKER:-/usr/bin/tilemaker}
  if [ ! -x "$osmium" ] || [ ! -x "$tilemaker" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "Installing osmium-tool and tilemaker (Debian packages)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq osmium-tool tilemaker >/dev/null
      osmium=/usr/bin/osmium
      tilemaker=/usr/bin/tilemaker
    else
      echo "osmium-tool or tilemaker is not installed and this is not root: install them or set PITWALL_OSMIUM / PITWALL_TILEMAKER." >&2
      return 1
    fi
  fi
  export PITWALL_OSMIUM="$osmium" PITWALL_TILEMAKER="$tilemaker"
  echo "Using osmium $("$osmium" --version 2>/dev/null | head -n 1 | awk '{print $3}'), tilemaker $(dpkg-query -W -f '${Version}' tilemaker 2>/dev/null || echo "at $tilemaker")"
}
