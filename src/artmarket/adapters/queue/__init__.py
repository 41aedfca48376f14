"""The task queue: taskiq's in-process broker (dev) or Redis Streams with acknowledgement."""
