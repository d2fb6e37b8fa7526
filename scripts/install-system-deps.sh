#!/usr/bin/env bash
# Debian packages the project needs: ICU headers and a compiler for PyICU, Pango and a
# Times-compatible font for WeasyPrint, and
# (with --browser) Debian's chromium for the browser tests, (with --bench) the wrk
# load generator for bench/news.py, (with --cluster) what `make cluster` runs: a PostgreSQL
# server (primary and replica), PgBouncer, Redis and HAProxy. Installs what is
# missing when it can (root or sudo); otherwise says what to install.
set -euo pipefail

packages=(libicu-dev pkg-config g++)
# pg_dump / pg_restore for manage.py backup and restore on PostgreSQL.
packages+=(postgresql-client)
# PDF documents (WeasyPrint: awards' certificates): Pango, and
# Liberation Serif (Times-compatible, covers Vietnamese); poppler-utils reads PDFs back in tests.
packages+=(libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 poppler-utils)
# Official documents as PDF (decision, tờ trình, reports, programme, invitations, conclusions):
# converted from the very DOCX by LibreOffice headless (hoiccb/lib/pdf.py).
packages+=(libreoffice-writer-nogui)
if [ "${1:-}" = "--browser" ]; then
  packages+=(chromium fonts-dejavu-core)
elif [ "${1:-}" = "--bench" ]; then
  packages+=(wrk)
elif [ "${1:-}" = "--cluster" ]; then
  packages+=(postgresql pgbouncer redis-server haproxy)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt_get=(sudo apt-get)
else
  echo "Thiếu gói hệ thống: ${missing[*]}. Cài bằng: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Cài gói hệ thống: ${missing[*]}"
"${apt_get[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
