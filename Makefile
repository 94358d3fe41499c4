# TrainTasker: run and test entry points. The work is done by scripts/*.sh;
# every path is relative to this Makefile's directory, so `make -C <checkout> run`
# works from anywhere.
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
SHELL := /bin/bash

PORT ?= 8080
TEST_PORT ?= 8181
export PORT TEST_PORT

.PHONY: help run stop test lint deps build build-debug web status logs

help:
	@echo "make run     install missing packages, build (release), start MariaDB + worker + nginx on 127.0.0.1:$(PORT)"
	@echo "make stop    stop what make run started (var/)"
	@echo "make test    debug build, throwaway stack on 127.0.0.1:$(TEST_PORT), Swift and Python tests"
	@echo "make lint    swift format lint --strict over Package.swift, Sources and Tests (.swift-format)"
	@echo "make deps    install the Debian packages only"
	@echo "make build   release build of tasker-fcgi and tasker-admin"
	@echo "make web     build the web apps into web/*/dist/"
	@echo "make status  what of var/ is running"
	@echo "make logs    follow the logs under var/log"

run:
	@$(ROOT)/scripts/run.sh

stop:
	@$(ROOT)/scripts/stop.sh

test:
	@$(ROOT)/scripts/test.sh

lint:
	cd $(ROOT) && swift format lint --strict --recursive Package.swift Sources Tests

deps:
	@$(ROOT)/scripts/install-deps.sh

build:
	cd $(ROOT) && swift build -c release --product tasker-fcgi && swift build -c release --product tasker-admin

build-debug:
	cd $(ROOT) && swift build --build-tests

web:
	@$(ROOT)/scripts/build-web.sh

status:
	@$(ROOT)/scripts/status.sh

logs:
	@mkdir -p $(ROOT)/var/log && cd $(ROOT)/var/log && touch tasker.log nginx-access.log nginx-error.log mariadb.err && tail -F tasker.log nginx-access.log nginx-error.log mariadb.err
