# Shell functions the wrk harnesses (run.sh, signin.sh) share; sourced, not run.

# Installs the Debian packages named (those the caller found missing) when running as root or with
# password-less sudo, updating the package lists once if a fresh machine has none; otherwise prints
# the command to run and exits.
install_packages() { # package...
  [ "$#" -eq 0 ] && return 0
  local root=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || { echo "missing $*; install with: apt-get install -y $*" >&2; exit 1; }
    root=(sudo -n)
  fi
  apt_install() { "${root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
  echo "installing $*" >&2
  apt_install "$@" || { "${root[@]}" apt-get update -q >/dev/null && apt_install "$@"; } \
    || { echo "missing $* and could not install it: apt-get install -y $*" >&2; exit 1; }
}

# Fails the run unless GET $base<path> (with the header, if any) answers the status: checked before
# measuring, so that a broken credential is not timed as a fast redirect.
expect() { # status path [header]
  local args=()
  [ -n "${3:-}" ] && args=(-H "$3")
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "${args[@]}" "$base$2")
  [ "$code" = "$1" ] || { echo "smoke check failed: $2 ${3:+(with ${3%%:*})} -> $code, expected $1" >&2; exit 1; }
}
