#!/bin/sh
# What such scripts do first (migrations, collectstatic) is left out; the timeout given here wins over the config's.
set -e
exec gunicorn --config /srv/gunicorn.conf.py --timeout 4 mysite.wsgi "$@"
