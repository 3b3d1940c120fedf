"""The clients: `Client` (synchronous) and `AsyncClient`, with the same methods."""

from workspace._async.client import AsyncClient
from workspace._async.kernel import AsyncKernel
from workspace._sync.client import Client
from workspace._sync.kernel import Kernel
from workspace.errors import WaitTimeout
from workspace.jupyter import Execution

__all__ = ["AsyncClient", "AsyncKernel", "Client", "Execution", "Kernel", "WaitTimeout"]
