// A long task worth cancelling: imports 120 batches, one per second.
let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
  console.log("SIGTERM received: stopping after this batch");
});
for (let batch = 1; batch <= 120 && !stopping; batch++) {
  console.log(`importing batch ${batch}/120`);
  await new Promise((r) => setTimeout(r, 1000));
}
console.log(stopping ? "import interrupted" : "import complete");
