"""The peers a user would pick instead of OPAD's queue, run in their own virtualenv."""
