#!/usr/bin/env bash
# System packages the report needs, from Debian: Jupyter (nbclient runs the notebooks headless
# with the project's tslab kernel; jupyter-notebook is the front end of npm run notebook),
# Fashion-MNIST (a second IDX data set the tests load), and Chromium with fonts (npm run figures
# renders plotly figures to PNG and SVG in it; the browser tests drive it).
# Run as root, or with sudo available. Idempotent.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PACKAGES=(jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel jupyter-notebook dataset-fashion-mnist chromium fonts-dejavu-core)
missing=()
# installed means "install ok installed" (a removed package may still be known to dpkg by its config files)
for p in "${PACKAGES[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "system packages ready: ${PACKAGES[*]}"
