"""The API's shapes: request bodies (`bodies`) and the answers it gives (`answers`)."""
