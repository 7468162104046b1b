"""The hash-bound limit of sign-in: how long one argon2id hash takes in the C reference
(Debian's python3-argon2, which wraps libargon2) at Gatehouse's default parameters.

Prints one line: RESULT hash_ms=<median of REPEAT hashes> cores=<usable cores> limit_per_s=<cores / hash time>.
Usage: /usr/bin/python3 argon2_reference.py [memory_kib time_cost parallelism [repeat]]
"""
import os
import statistics
import sys
import time

from argon2.low_level import Type, hash_secret_raw


def main(argv):
    memory_kib, time_cost, parallelism = (int(a) for a in (argv[1:4] if len(argv) >= 4 else (19456, 2, 1)))
    repeat = int(argv[4]) if len(argv) >= 5 else 25
    salt = os.urandom(16)
    timings = []
    for i in range(repeat + 2):
        start = time.perf_counter()
        hash_secret_raw(b"benchmark password", salt, time_cost=time_cost, memory_cost=memory_kib,
                        parallelism=parallelism, hash_len=32, type=Type.ID)
        if i >= 2:  # the first two warm the allocator
            timings.append(time.perf_counter() - start)
    seconds = statistics.median(timings)
    cores = len(os.sched_getaffinity(0))
    print(f"RESULT hash_ms={seconds * 1000:.2f} cores={cores} limit_per_s={cores / seconds:.1f}")


if __name__ == "__main__":
    main(sys.argv)
