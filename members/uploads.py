"""An upload handler that caps the size of an uploaded file while it arrives.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts (reliability-security §2), so a
view that takes files inserts this handler first: past the cap it stops reading the upload
(StopUpload), the file is dropped, and the view says why. Nothing of the file is kept."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class CappedUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data  # the next handler (memory or temporary file) keeps it

    def file_complete(self, file_size: int) -> None:
        return None
