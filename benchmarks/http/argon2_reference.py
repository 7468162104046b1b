"""The hash-bound limit of sign-in: how long one argon2id hash takes in the C reference
(Debian's python3-argon2, which wraps libargon2) at Gatehouse's default parameters.

Prints one line: RESULT hash_ms=<median of REPEAT hashes> cores=<usable cores>
limit_per_s=<cores / hash time> parallel_per_s=<hashes per second with one process per core>.
The first limit is issue 16's definition; the second is what the C reference itself reaches when
every core hashes at once (argon2id is memory-hard: concurrent hashes share caches and memory
bandwidth, so it is lower on most machines).
Usage: /usr/bin/python3 argon2_reference.py [memory_kib time_cost parallelism [repeat]]
"""
import multiprocessing
import os
import statistics
import sys
import time

from argon2.low_level import Type, hash_secret_raw


def one_hash(memory_kib, time_cost, parallelism, salt):
    hash_secret_raw(b"benchmark password", salt, time_cost=time_cost, memory_cost=memory_kib,
                    parallelism=parallelism, hash_len=32, type=Type.ID)


def hashes(args):
    memory_kib, time_cost, parallelism, count = args
    salt = os.urandom(16)
    for _ in range(count):
        one_hash(memory_kib, time_cost, parallelism, salt)
    return count


def main(argv):
    memory_kib, time_cost, parallelism = (int(a) for a in (argv[1:4] if len(argv) >= 4 else (19456, 2, 1)))
    repeat = int(argv[4]) if len(argv) >= 5 else 25
    salt = os.urandom(16)
    timings = []
    for i in range(repeat + 2):
        start = time.perf_counter()
        one_hash(memory_kib, time_cost, parallelism, salt)
        if i >= 2:  # the first two warm the allocator
            timings.append(time.perf_counter() - start)
    seconds = statistics.median(timings)
    cores = len(os.sched_getaffinity(0))
    with multiprocessing.Pool(cores) as pool:
        pool.map(hashes, [(memory_kib, time_cost, parallelism, 2)] * cores)  # start and warm every worker
        start = time.perf_counter()
        done = sum(pool.map(hashes, [(memory_kib, time_cost, parallelism, repeat)] * cores))
        parallel = done / (time.perf_counter() - start)
    print(f"RESULT hash_ms={seconds * 1000:.2f} cores={cores} limit_per_s={cores / seconds:.1f}"
          f" parallel_per_s={parallel:.1f}")


if __name__ == "__main__":
    main(sys.argv)
