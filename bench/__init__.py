"""Benchmarks of OPAD against Redis itself and the job systems a user would pick instead."""
