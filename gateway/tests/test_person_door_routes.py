"""The manifest's `/v1/me/...` routes are the person's own door, and the gateway holds it so: a route of
scope `me` is under /v1/me and needs `me` for every verb; only a person's token passes it, and a
person's token passes nothing else (gateway/app.py: _check_scope)."""
from __future__ import annotations

import pytest

from gateway.app import _check_scope
from gateway.routing import GATEWAY_ROUTES, ROUTES
from services.core.identity import Caller
from services.core.problems import Problem
from services.core.scopes import Scope

ALL_ROUTES = ROUTES + GATEWAY_ROUTES  # the gateway's own (GET /v1/me/export) too
TOKEN_ROUTES = [route for route in ALL_ROUTES if not route.public]
ORGANISATION = Caller(client_id="ft-agence-nantes", org_id="ft-nantes", org_type="france_travail",
                      territories=("44",), scopes=frozenset(Scope) - {Scope.ME})
ADMIN = Caller(client_id="platform-admin", org_id="platform", org_type="france_travail", territories=(),
               scopes=frozenset({Scope.ADMIN}))
PERSON = Caller.person("reg_camille")


def is_me_path(prefix: str) -> bool:
    return prefix == "/v1/me" or prefix.startswith("/v1/me/")


@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda route: route.prefix)
def test_a_me_route_is_under_v1_me_with_me_for_every_verb_and_no_other_route_is(route):
    uses_me = Scope.ME in (route.read_scope, route.write_scope)
    assert uses_me == is_me_path(route.prefix), route
    if uses_me:
        assert route.read_scope == route.write_scope == Scope.ME, route


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_only_a_person_passes_a_me_route_and_a_person_passes_nothing_else(method):
    for route in TOKEN_ROUTES:
        scope = route.scope_for(method)
        for caller in (ORGANISATION, ADMIN, PERSON):
            passes = caller is PERSON if scope == Scope.ME else caller is not PERSON
            try:
                _check_scope(caller, scope, {})
            except Problem as refused:
                assert not passes and refused.status == 403, (route, caller)
            else:
                assert passes, (route.prefix, method, caller.client_id)
