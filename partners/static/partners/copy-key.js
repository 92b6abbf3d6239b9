// The "Copy" button beside a key shown once in the admin: selects the key and copies it.
document.addEventListener("click", (event) => {
  const id = event.target.dataset && event.target.dataset.copy;
  if (!id) return;
  const field = document.getElementById(id);
  field.select();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(field.value).then(() => { event.target.textContent = "Copied"; });
  }
});
