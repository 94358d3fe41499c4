#!/bin/sh
# Builds the Requester web app into web/requester/dist/ (served by nginx at /requester/):
# main.js, Chart.js in a chunk of its own, styles.css, index.html.
# The steps are web/shared/build.sh's, which both apps use.
exec sh "$(dirname "$0")/../shared/build.sh" requester
