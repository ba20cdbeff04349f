#!/usr/bin/env bash
# The Debian packages GreenLeaf needs outside Python, in one list, for `make run`, `make test` and .ci/run.
#
#   scripts/system-packages.sh run|test [--dry-run]
#
# When every file the list names is already there it does nothing (no apt, well under a second), so `make test`
# can call it every time. Otherwise it installs what is missing with apt-get, as root or through passwordless
# sudo; when it can do neither it prints the one command to run (Chinese and English) and exits 1, so the tests
# never start on a machine where a third of them would fail for want of a browser or a font.
# --dry-run prints the decision and the command instead of running apt-get.
#
# Test hooks (tests/test_system_packages.py; never set them otherwise):
#   GREENLEAF_SYSPKG_TEST_MISSING="pkg ..."  treat exactly these packages as missing, the rest as present
#   GREENLEAF_SYSPKG_TEST_PRIVILEGE=root|sudo|none  instead of asking id -u and sudo -n
#   GREENLEAF_SYSPKG_TEST_APT=absent          behave as on a machine without apt-get
set -euo pipefail

# ---------------------------------------------------------------- the list
# package               needed by  present when this file exists (lib: a shared library ldconfig knows)
PACKAGES="
libgl1                  run,test   lib:libGL.so.1
libglib2.0-0            run,test   lib:libgthread-2.0.so.0
fonts-droid-fallback    test       /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
fonts-dejavu-core       test       /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
chromium                test       /usr/bin/chromium
chromium-driver         test       /usr/bin/chromedriver
"
# Why each one:
# - libgl1, libglib2.0-0: OCR of scans. rapidocr-onnxruntime requires opencv-python, whose cv2 module links
#   libGL.so.1 and libgthread-2.0.so.0; without them `import cv2` fails and scanned PDFs cannot be read.
#   We install these two rather than switch to opencv-python-headless: pip cannot replace a dependency that
#   rapidocr names, so both wheels would land in the same cv2/ folder and whichever came last would win, and
#   uninstalling or upgrading either one breaks cv2. Two small system libraries are the reliable choice.
#   (From Debian 13 the GLib package is libglib2.0-0t64; apt-get resolves the old name to it.)
# - fonts-droid-fallback: a CJK TrueType font; the tests embed it in the Chinese PDFs and scan images they make,
#   and the headless browser shows the page's Chinese with it.
# - fonts-dejavu-core: DejaVuSans for the digits and Latin letters in those PDFs (the CJK font has none).
# - chromium, chromium-driver: the headless browser tests/test_browser.py drives through Selenium, at
#   /usr/bin/chromium and /usr/bin/chromedriver.

usage() {
  echo "用法 usage: $0 run|test [--dry-run]" >&2
  exit 2
}

target=""
dry_run=0
for arg in "$@"; do
  case "$arg" in
    run|test) target="$arg" ;;
    --dry-run) dry_run=1 ;;
    *) usage ;;
  esac
done
[ -n "$target" ] || usage

ldconfig_cache=""
has_library() {
  if [ -z "$ldconfig_cache" ]; then
    local ldconfig
    ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
    ldconfig_cache="$("$ldconfig" -p 2>/dev/null || true)"
  fi
  grep -qF "$1 " <<<"$ldconfig_cache"
}

is_present() {  # package check
  if [ -n "${GREENLEAF_SYSPKG_TEST_MISSING+set}" ]; then
    case " $GREENLEAF_SYSPKG_TEST_MISSING " in *" $1 "*) return 1 ;; *) return 0 ;; esac
  fi
  case "$2" in
    lib:*) has_library "${2#lib:}" ;;
    *) [ -e "$2" ] ;;
  esac
}

missing=()
while read -r package needed_by check; do
  [ -n "$package" ] || continue
  case ",$needed_by," in *",$target,"*) ;; *) continue ;; esac
  is_present "$package" "$check" || missing+=("$package")
done <<<"$PACKAGES"

if [ ${#missing[@]} -eq 0 ]; then
  [ "$dry_run" = 0 ] || echo "all present for $target: nothing to install"
  exit 0
fi

list="${missing[*]}"
privilege="${GREENLEAF_SYSPKG_TEST_PRIVILEGE:-}"
if [ -z "$privilege" ]; then
  if [ "$(id -u)" = 0 ]; then
    privilege=root
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    privilege=sudo
  else
    privilege=none
  fi
fi
has_apt=1
if [ "${GREENLEAF_SYSPKG_TEST_APT:-}" = absent ] || ! command -v apt-get >/dev/null 2>&1; then
  has_apt=0
fi

if [ "$has_apt" = 0 ]; then
  echo "缺少系统软件包：$list。本机没有 apt-get，请用本系统的包管理器安装对应的软件包后重试（用途见 $0 中的注释）。" >&2
  echo "Missing system packages: $list. There is no apt-get here; install your system's equivalents" \
       "(what each is for is in $0) and run again." >&2
  exit 1
fi

if [ "$privilege" = none ]; then
  if command -v sudo >/dev/null 2>&1; then
    command="sudo sh -c 'apt-get update && apt-get install -y $list'"
  else
    command="su -c 'apt-get update && apt-get install -y $list'"
  fi
  echo "缺少系统软件包：$list。当前用户无权安装（不是 root，也没有免密码 sudo）。请先运行下面这条命令，再重新运行 make $target：" >&2
  echo "Missing system packages: $list. This user cannot install them (not root, no passwordless sudo)." \
       "Run this one command, then run make $target again:" >&2
  echo >&2
  echo "    $command" >&2
  echo >&2
  exit 1
fi

as_root=()
[ "$privilege" = sudo ] && as_root=(sudo -n)
apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
if [ "$dry_run" = 1 ]; then
  echo "would install ($privilege): ${apt[*]} update -qq && ${apt[*]} install -y -qq $list"
  exit 0
fi
echo "正在安装系统软件包 Installing system packages: $list" >&2
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq "${missing[@]}" >/dev/null

# Installed is not the same as there: check the files again, so a renamed package cannot pass unnoticed.
ldconfig_cache=""
still=()
while read -r package needed_by check; do
  [ -n "$package" ] || continue
  case " $list " in *" $package "*) ;; *) continue ;; esac
  [ -n "${GREENLEAF_SYSPKG_TEST_MISSING+set}" ] && continue
  is_present "$package" "$check" || still+=("$package ($check)")
done <<<"$PACKAGES"
if [ ${#still[@]} -gt 0 ]; then
  echo "apt-get 已运行，但仍缺少：${still[*]}。 apt-get ran, but these are still missing: ${still[*]}." >&2
  exit 1
fi
