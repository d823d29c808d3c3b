// The server embeds the GOV.UK Frontend and MOJ Frontend assets that scripts/build-assets.sh
// builds from the pinned npm packages. Fail early, with the fix, if they are missing.
fn main() {
    println!("cargo:rerun-if-changed=assets-build");
    println!("cargo:rerun-if-changed=templates");
    // Read at run time (not with env!): a compiled build script may be reused for another checkout.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let css = std::path::Path::new(&manifest_dir).join("assets-build/frontdoor.css");
    if !css.exists() {
        panic!(
            "\n\nThe web assets are not built ({} is missing).\nRun `scripts/build-assets.sh` (it installs the pinned npm packages and compiles the CSS), then build again.\n",
            css.display()
        );
    }
}
