"""No routes: the notifications service is reached by no one (the gateway routes nothing to it). Its
api process serves only what core gives every process: /healthz, /readyz and /metrics. The package
stays so the service keeps the one shape the layers contract checks (docs/ADDING_A_SERVICE.md)."""
