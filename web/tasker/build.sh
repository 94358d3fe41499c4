#!/bin/sh
# Builds the Tasker web app into web/tasker/dist/ (served by nginx at /tasker/):
# app.js (at most 250 KB), styles.css, index.html, sw.js, the manifest and the icons.
# The steps are web/shared/build.sh's, which both apps use.
exec sh "$(dirname "$0")/../shared/build.sh" tasker
