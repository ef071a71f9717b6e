"""Audio of readings: made by the worker as a step of the job (or on request), stored in
the content store beside the markdown, served by the API with range requests.

- `script`: the sentences the reader shows, which are the sentences spoken;
- `make`: speak a reading and store `audio.json` (timings) + the Opus/Ogg file;
- `step`: the job step (one call from the worker; failure never fails the reading);
- `requests`: audio asked for later (`POST /articles/{id}/audio`), in Redis.

The worker thread that makes requested audio is the worker's (`worker/audio.py`): it
checks for pending deletions through `services/`, which sit above this package.
"""

# The start of the job's warning when a reading's audio could not be made; the API hides
# that warning once the audio exists (made again on request).
WARNING_PREFIX = "No audio"
