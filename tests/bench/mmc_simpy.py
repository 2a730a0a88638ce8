#!/usr/bin/python3
"""The M/M/c benchmark workload written as an idiomatic SimPy 3 program, for comparison with
`topolab-cli bench --only mmc`: c = 8 servers, rho = 0.9, mu = 100/s, Poisson arrivals, FIFO
queue (simpy.Resource), time in system recorded per customer.

usage: /usr/bin/python3 tests/bench/mmc_simpy.py [CUSTOMERS] [SEED]
Prints one JSON object: name, customers, seconds (wall clock), cpu_seconds (process CPU time),
customers_per_sec (wall clock), mean_time_in_system (simulated seconds)."""
import json
import random
import sys
import time

import simpy

C = 8
RHO = 0.9
MU = 100.0
LAMBDA = RHO * C * MU


def customer(env, servers, rng, times):
    arrived = env.now
    with servers.request() as req:
        yield req
        yield env.timeout(rng.expovariate(MU))
    times.append(env.now - arrived)


def source(env, servers, rng, times, customers):
    for _ in range(customers):
        env.process(customer(env, servers, rng, times))
        yield env.timeout(rng.expovariate(LAMBDA))


def main():
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=C)
    times = []
    env.process(source(env, servers, rng, times, customers))
    t0 = time.perf_counter()
    c0 = time.process_time()
    env.run()
    cpu_seconds = time.process_time() - c0
    seconds = time.perf_counter() - t0
    print(json.dumps({
        "name": "mmc-simpy",
        "customers": len(times),
        "seconds": round(seconds, 4),
        "cpu_seconds": round(cpu_seconds, 4),
        "customers_per_sec": round(len(times) / seconds, 1),
        "mean_time_in_system": sum(times) / len(times),
        "simpy_version": simpy.__version__,
    }))


if __name__ == "__main__":
    main()
