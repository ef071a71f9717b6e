"""A real S3-compatible server for the tests: moto's, over HTTP on a free local port."""

from __future__ import annotations

import socket
import uuid
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from tests.processes import free_port, wait_until

# moto accepts any credentials; set them so no developer's real ones are ever used.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "opad-test", "AWS_SECRET_ACCESS_KEY": "opad-test-secret"}
REGION = "us-east-1"


class S3Server:
    """moto in server mode in a thread of the test process; stoppable and restartable on
    the same port (its buckets live in the process, so they survive a restart)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: ThreadedMotoServer | None = None

    def _accepts(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def start(self) -> None:
        """Start (or restart) the server and wait until it accepts connections."""
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        wait_until(self._accepts, 10, "the S3 server to start")

    def stop(self) -> None:
        """Stop the server: connections are refused from now on."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def client(self) -> Any:
        """A plain boto3 client on this server."""
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def new_bucket(self) -> str:
        """Create a bucket with a fresh name (moto's state is shared by every server)."""
        name = f"opad-test-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        """Every key in the bucket."""
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(obj["Key"] for obj in listed.get("Contents", []))

    def env(self, bucket: str, prefix: str = "opad") -> dict[str, str]:
        """The environment that points OPAD at this server and bucket."""
        return {
            "OPAD_STORAGE_URL": f"s3://{bucket}/{prefix}",
            "OPAD_S3_ENDPOINT_URL": self.url,
            "OPAD_S3_REGION": REGION,
            **CREDENTIALS,
        }
