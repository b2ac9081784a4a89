#!/usr/bin/env bash
# The whole import chain at the national scale: every standard-format file of ../shared/data imported, one
# after the other, into a scratch clone of this repository (beside the 25 shipped entries), then the site
# built; each import's report line and time, then the build's. The figures of the README section
# « Toute la chaîne à l'échelle nationale ». Usage: bash bench/import_national.sh [SCRATCH_FOLDER]
set -euo pipefail
projet=$(cd "$(dirname "$0")/.." && pwd)
donnees="$projet/../shared/data"
essai=${1:-/tmp/import-national}
rm -rf "$essai"
git clone -q "$projet" "$essai"
cd "$essai"
make install >/dev/null
for fichier in cnfs.json data-inclusion.json source.json lieux-de-mediation-numerique.cnfs.json \
  20230516-hub-du-sud-lieux-de-mediation-numeriques-provence-alpes-cote-d-azur.json \
  20230517-hub-du-sud-lieux-de-mediation-numeriques-provence-alpes-cote-d-azur.json \
  lieux-de-mediation-numerique.back.json \
  20230711-charente-lieux-de-mediation-numeriques-nouvelle-aquitaine.json \
  20231003-bus-france-services-en-charente-lieux-de-mediation-numeriques-nouvelle-aquitaine.json; do
  echo "== $fichier"
  /usr/bin/time -f "temps %e s" .venv/bin/python -m annuaire import "$donnees/$fichier" 2>&1 \
    | grep -E "^(temps|rapprochement|$fichier)"
done
echo "== construction"
/usr/bin/time -f "temps %e s, mémoire %M Ko" .venv/bin/python -m annuaire build --settings pelicanconf.py 2>&1 | tail -3
echo "$(ls content/lieux | wc -l) fiches ; $(du -sh output | cut -f1) publiés"
