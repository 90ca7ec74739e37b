package main

// workerStackHCL is N copies of the worker stack: a script with its two KV
// namespaces bound, a route and secrets. Filled in from the worker
// resources' schemas once they exist.
func workerStackHCL(head, kv string) (workerStack, bool) {
	return workerStack{}, false
}
