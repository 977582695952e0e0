#!/usr/bin/env bash
# Makes sure the services the test suites use are up: PostgreSQL on 127.0.0.1:5432 and NATS with
# JetStream on 127.0.0.1:4222. Starts whichever is down (installing it from Debian's packages if it
# is missing and we are root), and fails loudly if one cannot be started.
set -uo pipefail

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local name=$1 port=$2
  for _ in $(seq 1 60); do
    up "$port" && return 0
    sleep 0.5
  done
  echo "services: $name did not come up on 127.0.0.1:$port" >&2
  return 1
}

install_if_missing() {
  local cmd=$1 pkg=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "services: installing $pkg" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg") >&2 || return 1
  else
    echo "services: $cmd is not installed and cannot be installed here (need root and apt-get)" >&2
    return 1
  fi
}

status=0

if ! up 5432; then
  echo "services: PostgreSQL is down; starting it" >&2
  if install_if_missing pg_ctlcluster postgresql; then
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
    if [ -z "$version" ]; then
      echo "services: no PostgreSQL cluster found in /etc/postgresql" >&2
      status=1
    else
      pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
      wait_for PostgreSQL 5432 || status=1
    fi
  else
    status=1
  fi
fi

if ! up 4222; then
  echo "services: NATS is down; starting it" >&2
  if install_if_missing nats-server nats-server; then
    mkdir -p /var/lib/nats-server 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server)" -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log >&2 || true
    wait_for NATS 4222 || status=1
  else
    status=1
  fi
fi

if [ $status -ne 0 ]; then
  echo "services: FAILED — the tests need PostgreSQL (127.0.0.1:5432) and NATS JetStream (127.0.0.1:4222)" >&2
  exit 1
fi
echo "services: PostgreSQL and NATS are up" >&2
